package io.clpipe.predictor.service;

import io.clpipe.schemas.Setting;
import io.clpipe.schemas.TopicPrefixSetting;
import io.clpipe.schemas.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of the {@link PredictorService} (keys of {@link #fromProperties}); Kafka client settings
 * (bootstrap servers, security) are passed to the service separately.
 *
 * @param topics            topic names (prefix configurable)
 * @param groupId           consumer group of the requests topic; instances of one group share its partitions
 * @param transactionalId   transactional id of the predictions producer, one per instance; a second
 *                          instance with the same id fences the first
 * @param defaultTop        classes (bytes) reported per prediction when a request does not say
 * @param maxContinuation   longest greedy continuation a language-model request may ask for, in bytes
 * @param maxRequestBytes   larger request values go to the dead-letter topic
 * @param maxRequestsPerTransaction requests read (and answered, and their offsets committed) per transaction
 * @param pollTimeout       requests-topic poll timeout (also bounds how fast close() returns)
 * @param catchUpTimeout    longest wait for the models topic to be read to its end before a batch is answered
 */
public record PredictorServiceConfig(Topics topics, String groupId, String transactionalId, int defaultTop,
                                     int maxContinuation, int maxRequestBytes, int maxRequestsPerTransaction,
                                     Duration pollTimeout, Duration catchUpTimeout) {

    public static final String DEFAULT_GROUP_ID = "clpipe-predictor";

    static final Set<String> KEYS = keys();

    public PredictorServiceConfig {
        require(topics != null, "topics are required");
        require(groupId != null && !groupId.isBlank(), "group.id is required");
        require(transactionalId != null && !transactionalId.isBlank(), "transactional.id is required");
        require(defaultTop >= 1, "top.k must be >= 1, got " + defaultTop);
        require(maxContinuation >= 0 && maxContinuation <= 4096, "max.continuation must be 0..4096, got " + maxContinuation);
        require(maxRequestBytes > 0, "max.request.bytes must be > 0, got " + maxRequestBytes);
        require(maxRequestsPerTransaction > 0, "max.requests.per.transaction must be > 0, got " + maxRequestsPerTransaction);
        require(pollTimeout != null && !pollTimeout.isNegative() && !pollTimeout.isZero(), "poll.timeout.ms must be > 0");
        require(catchUpTimeout != null && !catchUpTimeout.isNegative() && !catchUpTimeout.isZero(), "catchup.timeout.ms must be > 0");
    }

    /** Every default declared in {@link PredictorSettings} (transactional id = group id). */
    public static PredictorServiceConfig defaults(Topics topics) {
        return new PredictorServiceConfig(topics, DEFAULT_GROUP_ID, DEFAULT_GROUP_ID, PredictorSettings.TOP_K.defaultValue(),
                PredictorSettings.MAX_CONTINUATION.defaultValue(), PredictorSettings.MAX_REQUEST_BYTES.defaultValue(),
                PredictorSettings.MAX_REQUESTS_PER_TRANSACTION.defaultValue(),
                Duration.ofMillis(PredictorSettings.POLL_TIMEOUT_MS.defaultValue()),
                Duration.ofMillis(PredictorSettings.CATCHUP_TIMEOUT_MS.defaultValue()));
    }

    private static Set<String> keys() {
        Set<String> keys = new TreeSet<>(PredictorSettings.CATALOG.keys());
        keys.add(TopicPrefixSetting.FORMER_KEY);
        return Set.copyOf(keys);
    }

    public PredictorServiceConfig withIds(String group, String transactional) {
        return new PredictorServiceConfig(topics, group, transactional, defaultTop, maxContinuation, maxRequestBytes,
                maxRequestsPerTransaction, pollTimeout, catchUpTimeout);
    }

    /** @throws IllegalArgumentException on an unknown key or a bad value, naming it */
    public static PredictorServiceConfig fromProperties(Properties props) {
        Set<String> unknown = new TreeSet<>(props.stringPropertyNames());
        unknown.removeAll(KEYS);
        require(unknown.isEmpty(), "unknown predictor settings " + unknown + "; known: " + new TreeSet<>(KEYS));
        Topics topics = Topics.withPrefix(TopicPrefixSetting.readOrDefault("predictor", props));
        PredictorServiceConfig d = defaults(topics);
        String group = props.getProperty(PredictorSettings.GROUP_ID.key(), d.groupId());
        return new PredictorServiceConfig(topics, group, props.getProperty(PredictorSettings.TRANSACTIONAL_ID.key(), group),
                integer(props, PredictorSettings.TOP_K), integer(props, PredictorSettings.MAX_CONTINUATION),
                integer(props, PredictorSettings.MAX_REQUEST_BYTES), integer(props, PredictorSettings.MAX_REQUESTS_PER_TRANSACTION),
                Duration.ofMillis(integer(props, PredictorSettings.POLL_TIMEOUT_MS)),
                Duration.ofMillis(integer(props, PredictorSettings.CATCHUP_TIMEOUT_MS)));
    }

    private static int integer(Properties props, Setting<Integer> setting) {
        String v = props.getProperty(setting.key());
        if (v == null || v.isBlank()) {
            return setting.defaultValue();
        }
        try {
            return setting.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting.key() + " must be " + setting.expected() + ", got '" + v + "'");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
