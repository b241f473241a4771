package io.clpipe.evaluator.service;

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

    static final Set<String> KEYS = Set.of(TopicPrefixSetting.KEY, TopicPrefixSetting.FORMER_KEY, "group.id",
            "transactional.id", "poll.timeout.ms", "catchup.timeout.ms", "max.requests.per.transaction");

    public ScorerServiceConfig {
        require(topics != null, "topics are required");
        require(groupId != null && !groupId.isBlank(), "group id is required");
        require(transactionalId != null && !transactionalId.isBlank(), "transactional id is required");
        require(pollTimeout != null && pollTimeout.toMillis() > 0 && catchUpTimeout != null && catchUpTimeout.toMillis() > 0,
                "timeouts must be positive");
        require(maxRequestsPerTransaction > 0, "max.requests.per.transaction must be > 0, got " + maxRequestsPerTransaction);
    }

    /**
     * Reads the keys below, all optional; an unknown key is an error.
     *
     * <pre>
     * topics.prefix                 clpipe.
     * group.id                      clpipe-scorer
     * transactional.id              the group id (give each scorer its own)
     * poll.timeout.ms               500
     * catchup.timeout.ms            10000
     * max.requests.per.transaction  4
     * </pre>
     */
    public static ScorerServiceConfig fromProperties(Properties properties) {
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KEYS);
        require(unknown.isEmpty(), "unknown scorer settings " + unknown + "; known: " + new TreeSet<>(KEYS));
        Topics topics = TopicPrefixSetting.read("scorer", properties).map(Topics::withPrefix).orElse(Topics.defaults());
        String group = properties.getProperty("group.id", DEFAULT_GROUP_ID).trim();
        return new ScorerServiceConfig(topics, group, properties.getProperty("transactional.id", group).trim(),
                Duration.ofMillis(number(properties, "poll.timeout.ms", 500)),
                Duration.ofMillis(number(properties, "catchup.timeout.ms", 10_000)),
                (int) number(properties, "max.requests.per.transaction", 4));
    }

    private static long number(Properties properties, String key, long fallback) {
        String v = properties.getProperty(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + v + "'");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
