package io.clpipe.evaluator.service;

import io.clpipe.schemas.SettingsReader;
import io.clpipe.schemas.TopicPrefixSetting;
import io.clpipe.schemas.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of a {@link ScorerService}, one instance of the scoring tier of spread scoring
 * (docs/operations.md, "Spread scoring"). The eval-set settings are not here: each request carries the
 * evaluator's, so scorers cannot disagree with it.
 *
 * @param topics                   topic names (prefix configurable)
 * @param groupId                  consumer group of the score-requests topic, shared by all scorers
 * @param transactionalId          transactional id of the scores producer, one per scorer instance
 * @param pollTimeout              score-requests poll timeout (also bounds how fast close() returns)
 * @param catchUpTimeout           longest wait for the eval topic to be read up to its end before a batch,
 *                                 and for a requested snapshot to be read from the models topic
 * @param maxRequestsPerTransaction requests scored and committed together
 */
public record ScorerServiceConfig(Topics topics, String groupId, String transactionalId, Duration pollTimeout,
                                  Duration catchUpTimeout, int maxRequestsPerTransaction) {

    public static final String DEFAULT_GROUP_ID = "clpipe-scorer";

    static final Set<String> KEYS = keys();

    public ScorerServiceConfig {
        require(topics != null, "topics are required");
        require(groupId != null && !groupId.isBlank(), "group id is required");
        require(transactionalId != null && !transactionalId.isBlank(), "transactional id is required");
        require(pollTimeout != null && pollTimeout.toMillis() > 0 && catchUpTimeout != null && catchUpTimeout.toMillis() > 0,
                "timeouts must be positive");
        require(maxRequestsPerTransaction > 0, "max.requests.per.transaction must be > 0, got " + maxRequestsPerTransaction);
    }

    /** Reads the keys declared in {@link ScorerSettings}, all optional; an unknown key is an error. */
    public static ScorerServiceConfig fromProperties(Properties properties) {
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KEYS);
        require(unknown.isEmpty(), "unknown scorer settings " + unknown + "; known: " + new TreeSet<>(KEYS));
        Topics topics = TopicPrefixSetting.read("scorer", properties).map(Topics::withPrefix).orElse(Topics.defaults());
        SettingsReader settings = new SettingsReader("scorer", properties);
        String group = settings.get(ScorerSettings.GROUP_ID);
        return new ScorerServiceConfig(topics, group, settings.get(ScorerSettings.TRANSACTIONAL_ID, group),
                Duration.ofMillis(settings.get(ScorerSettings.POLL_TIMEOUT_MS)),
                Duration.ofMillis(settings.get(ScorerSettings.CATCHUP_TIMEOUT_MS)),
                settings.get(ScorerSettings.MAX_REQUESTS_PER_TRANSACTION));
    }

    private static Set<String> keys() {
        Set<String> keys = new TreeSet<>(ScorerSettings.CATALOG.keys());
        keys.add(TopicPrefixSetting.FORMER_KEY);
        return Set.copyOf(keys);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
