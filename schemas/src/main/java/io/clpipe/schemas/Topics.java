package io.clpipe.schemas;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The names of clpipe's topics, all built from one prefix ({@value #DEFAULT_PREFIX} by default), and
 * the configuration each should be created with ({@link #specs()}).
 */
public record Topics(String samples, String train, String eval, String dlq, String control, String models,
                     String metrics, String checkpoints, String requests, String predictions, String scoreRequests,
                     String scores) {

    public static final String DEFAULT_PREFIX = "clpipe.";

    /** Largest model snapshot: 4M float32 parameters plus the record around them. */
    public static final int MAX_SNAPSHOT_BYTES = 16 << 20;

    /** Partitions of the score-requests topic: the most scorers that can share one evaluator's work. */
    public static final int SCORE_REQUEST_PARTITIONS = 24;

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    public Topics {
        for (String name : List.of(samples, train, eval, dlq, control, models, metrics, checkpoints, requests, predictions,
                scoreRequests, scores)) {
            if (!LEGAL.matcher(name).matches() || name.length() > 249 || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("illegal topic name \"" + name
                        + "\": Kafka allows up to 249 of [a-zA-Z0-9._-]");
            }
        }
    }

    public static Topics defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    /** Topic names {@code prefix + "samples"}, {@code prefix + "train"}, …; the prefix may be empty. */
    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + "samples", prefix + "train", prefix + "eval", prefix + "dlq", prefix + "control",
                prefix + "models", prefix + "metrics", prefix + "checkpoints", prefix + "requests", prefix + "predictions",
                prefix + "score-requests", prefix + "scores");
    }

    public List<String> all() {
        return List.of(samples, train, eval, dlq, control, models, metrics, checkpoints, requests, predictions, scoreRequests,
                scores);
    }

    /**
     * Recommended creation settings, one partition each. Samples, train and eval must keep equal
     * partition counts (ingest keeps each stream's partition); scale them together.
     */
    public List<TopicSpec> specs() {
        String snapshotBytes = Integer.toString(MAX_SNAPSHOT_BYTES);
        return List.of(
                plain(samples, Map.of()),
                plain(train, Map.of()),
                plain(eval, Map.of()),
                plain(dlq, Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(30 * DAY_MS))),
                // Boundary events are tiny and a restarted learner or evaluator replays them all.
                plain(control, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
                // Per-iteration snapshots of ~2 MB fill a disk fast: bound by size, small segments so
                // that deletion keeps up. No compression: float32 weights shrink ~7% under deflate.
                new TopicSpec(models, 1, Map.of(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, snapshotBytes,
                        TopicConfig.RETENTION_BYTES_CONFIG, Long.toString(2L << 30),
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(DAY_MS),
                        TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(128 << 20)),
                        Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, snapshotBytes)),
                plain(metrics, Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(30 * DAY_MS))),
                // The learner's checkpoint store (checkpoint.store=kafka): each generation is a manifest
                // plus chunk records of at most 512 KiB, keyed <stream>/<generation>/<chunk|m>, so the
                // broker's default record limit suffices; compaction keeps the latest value per key and
                // the learner tombstones generations beyond the last N.
                new TopicSpec(checkpoints, 1, Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT), Map.of()),
                // Scoring requests and their answers (clpipe serve): partitions are its unit of scale-out.
                plain(requests, Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(7 * DAY_MS))),
                plain(predictions, Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(7 * DAY_MS))),
                // Spread scoring (docs/architecture.md, "Spread scoring"): one small request per snapshot version,
                // placed by (stream, version) over the partitions, which bound how many scorers share the work
                // (24 = 1, 2, 3, 4, 6, 8 or 12 scorers with equal shares); the per-version scores come back keyed by stream.
                new TopicSpec(scoreRequests, SCORE_REQUEST_PARTITIONS, Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(DAY_MS)),
                        Map.of()),
                plain(scores, Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(DAY_MS))));
    }

    /** The recommended spec of one of these topics. */
    public TopicSpec spec(String topic) {
        return specs().stream().filter(s -> s.name().equals(topic)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not one of " + all() + ": " + topic));
    }

    private static TopicSpec plain(String name, Map<String, String> configs) {
        return new TopicSpec(name, 1, configs, Map.of());
    }
}
