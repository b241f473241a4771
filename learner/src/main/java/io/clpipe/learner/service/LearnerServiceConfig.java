package io.clpipe.learner.service;

import io.clpipe.drift.DriftConfig;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.Prequential;
import io.clpipe.schemas.EvaluationPlan;
import io.clpipe.schemas.TopicPrefixSetting;
import io.clpipe.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/**
 * Settings of the learner service (Kafka client settings such as bootstrap servers and security are
 * passed separately, as client properties).
 *
 * @param topics               topic names
 * @param groupId              consumer group of the training topic
 * @param models               the architecture of each new stream's model
 * @param learner              optimizer, schedule, replay…, the same for every stream (and its seed too:
 *                             with identical input two streams train identically)
 * @param plan                 snapshot cadence; the evaluator must use the same plan
 * @param checkpointDir        one file per stream (store {@code local}); instances of one group must share it
 * @param checkpointEverySteps a stream is checkpointed after this many of its steps (and on revoke and close)
 * @param pollTimeout          longest wait for training records; also bounds how late close() and
 *                             control events are noticed
 * @param checkpointStore      where checkpoints go: {@code LOCAL} (files in {@code checkpointDir}) or {@code KAFKA}
 *                             (the compacted {@code checkpoints} topic, shared by every instance)
 * @param checkpointGenerations generations kept per stream on the Kafka store (a corrupt newest one falls back to the previous)
 * @param checkpointChunkBytes largest record payload of the Kafka store (checkpoints are cut into chunks of this size)
 * @param readAhead            how far a second thread may read and decode the training topic ahead of the steps
 * @param batchLingerMs        a stream's partial batch is trained once the stream has had no new record for this
 *                             long and its partition is read to its end ({@code batch.linger.ms}; −1: never)
 * @param prequentialFading    fading factor α of the prequential (test-then-train) accuracy and loss, in (0, 1]
 *                             ({@code prequential.fading}, 0.999; 1 = plain running mean; docs/metrics.md)
 * @param drift                the loss drift detector ({@code drift.*} keys, docs/operations.md); off unless it watches loss
 * @param snapshotFlow         snapshot chunk size and back-pressure ({@code snapshot.chunk.bytes}, {@code eval.max.lag},
 *                             {@code eval.group.id})
 */
public record LearnerServiceConfig(Topics topics, String groupId, ModelFactory models, LearnerConfig learner,
                                   EvaluationPlan plan, Path checkpointDir, int checkpointEverySteps, Duration pollTimeout,
                                   CheckpointStoreKind checkpointStore, int checkpointGenerations, int checkpointChunkBytes,
                                   ReadAhead readAhead, long batchLingerMs, DriftConfig drift,
                                   double prequentialFading, SnapshotFlow snapshotFlow) {

    /** Without the loss drift detector. */
    public LearnerServiceConfig(Topics topics, String groupId, ModelFactory models, LearnerConfig learner, EvaluationPlan plan,
                                Path checkpointDir, int checkpointEverySteps, Duration pollTimeout, CheckpointStoreKind checkpointStore,
                                int checkpointGenerations, int checkpointChunkBytes, ReadAhead readAhead, long batchLingerMs) {
        this(topics, groupId, models, learner, plan, checkpointDir, checkpointEverySteps, pollTimeout, checkpointStore,
                checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, LearnerDrift.OFF,
                Prequential.DEFAULT_FADING, SnapshotFlow.DEFAULTS);
    }

    /** Where the learner keeps its checkpoints. */
    public enum CheckpointStoreKind { LOCAL, KAFKA }

    /**
     * The read-ahead of the training topic: a second thread polls and decodes up to {@code records}
     * records (and at most {@code bytes} of encoded values) ahead of training, so that fetching and
     * decoding overlap with the steps. {@code records} 0 turns it off: the loop polls the topic itself.
     */
    public record ReadAhead(int records, long bytes) {

        public static final ReadAhead OFF = new ReadAhead(0, DEFAULT_READ_AHEAD_BYTES);

        public ReadAhead {
            if (records < 0 || bytes <= 0) {
                throw new IllegalArgumentException("train.read.ahead.records must be at least 0 and train.read.ahead.bytes"
                        + " positive, got " + records + " and " + bytes);
            }
        }

        /** 2048 records (four polls of 500), at most 32 MiB. */
        public static ReadAhead defaults() {
            return new ReadAhead(DEFAULT_READ_AHEAD_RECORDS, DEFAULT_READ_AHEAD_BYTES);
        }

        public boolean enabled() {
            return records > 0;
        }
    }

    public static final int DEFAULT_READ_AHEAD_RECORDS = 2048;

    public static final long DEFAULT_READ_AHEAD_BYTES = 32L << 20;

    public static final int DEFAULT_CHECKPOINT_GENERATIONS = 3;

    public static final String DEFAULT_GROUP_ID = "clpipe-learner";

    /** Default {@code batch.linger.ms}: an idle stream's last partial batch is trained after 3 s. */
    public static final long DEFAULT_BATCH_LINGER_MS = 3000;

    public LearnerServiceConfig {
        if (topics == null || groupId == null || groupId.isBlank() || models == null || learner == null || plan == null
                || checkpointDir == null || pollTimeout == null || checkpointStore == null || readAhead == null || drift == null
                || snapshotFlow == null) {
            throw new IllegalArgumentException("learner service config needs every part set");
        }
        if (checkpointEverySteps <= 0 || pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("checkpointEverySteps and pollTimeout must be positive");
        }
        if (!(prequentialFading > 0 && prequentialFading <= 1)) {
            throw new IllegalArgumentException("prequential.fading must be in (0, 1], got " + prequentialFading);
        }
        if (batchLingerMs < -1) {
            throw new IllegalArgumentException("batch.linger.ms must be -1 (never) or at least 0, got " + batchLingerMs);
        }
        if (checkpointGenerations < 2 || checkpointChunkBytes < 1024) {
            throw new IllegalArgumentException("checkpoint.kafka.generations must be at least 2 and checkpoint.kafka.chunk.bytes"
                    + " at least 1024, got " + checkpointGenerations + " and " + checkpointChunkBytes);
        }
    }

    /**
     * Default topics and group, an MLP 256-256 over 10 classes, the engine's default learner, snapshots
     * every 50 iterations and at each of the first 50 after a boundary, a checkpoint every 500 steps,
     * the training topic read ahead (2048 records, 32 MiB at most).
     */
    public static LearnerServiceConfig defaults(Path checkpointDir) {
        return new LearnerServiceConfig(Topics.defaults(), DEFAULT_GROUP_ID, new ModelTemplate.Mlp(new int[] {256, 256}, 10),
                LearnerConfig.defaults(), EvaluationPlan.boundaryDense(LearnerSettings.EVAL_PERIOD.defaultValue(),
                        LearnerSettings.EVAL_DENSE_WINDOW.defaultValue()), checkpointDir,
                LearnerSettings.CHECKPOINT_EVERY_STEPS.defaultValue(), Duration.ofMillis(LearnerSettings.POLL_TIMEOUT_MS.defaultValue()),
                CheckpointStoreKind.LOCAL, DEFAULT_CHECKPOINT_GENERATIONS, CheckpointChunks.DEFAULT_CHUNK_BYTES, ReadAhead.defaults(),
                DEFAULT_BATCH_LINGER_MS);
    }

    /**
     * From flat settings: the keys, their defaults and meanings are declared once in {@link LearnerSettings}
     * (docs/operations.md, "Learner settings", is generated from them). Every key is optional and unknown keys are
     * refused (typos would otherwise pass silently).
     *
     * @throws IllegalArgumentException naming the setting at fault
     */
    public static LearnerServiceConfig fromProperties(Properties properties) {
        PropertyReader p = new PropertyReader(properties);
        Topics topics = Topics.withPrefix(TopicPrefixSetting.readOrDefault("learner", properties));
        p.has(TopicPrefixSetting.KEY);
        p.has(TopicPrefixSetting.FORMER_KEY);
        EvaluationPlan plan = new EvaluationPlan(p.get(LearnerSettings.EVAL_PERIOD), p.get(LearnerSettings.EVAL_DENSE_WINDOW));
        LearnerServiceConfig config = new LearnerServiceConfig(topics, p.get(LearnerSettings.GROUP_ID), model(p),
                LearnerConfigProperties.read(p), plan, Path.of(p.get(LearnerSettings.CHECKPOINT_DIR)),
                p.get(LearnerSettings.CHECKPOINT_EVERY_STEPS), Duration.ofMillis(p.get(LearnerSettings.POLL_TIMEOUT_MS)), store(p),
                p.get(LearnerSettings.CHECKPOINT_GENERATIONS), p.get(LearnerSettings.CHECKPOINT_CHUNK_BYTES),
                new ReadAhead(p.get(LearnerSettings.READ_AHEAD_RECORDS), p.get(LearnerSettings.READ_AHEAD_BYTES)),
                p.get(LearnerSettings.BATCH_LINGER_MS), LearnerDrift.read(properties, p),
                p.get(LearnerSettings.PREQUENTIAL_FADING), SnapshotFlow.read(p));
        p.rejectUnknown();
        return config;
    }

    private static CheckpointStoreKind store(PropertyReader p) {
        String kind = p.get(LearnerSettings.CHECKPOINT_STORE).toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "local" -> CheckpointStoreKind.LOCAL;
            case "kafka" -> CheckpointStoreKind.KAFKA;
            default -> throw PropertyReader.bad(LearnerSettings.CHECKPOINT_STORE, kind);
        };
    }

    private static ModelTemplate model(PropertyReader p) {
        String kind = p.get(LearnerSettings.MODEL_KIND).toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "mlp" -> new ModelTemplate.Mlp(p.get(LearnerSettings.MODEL_HIDDEN, new int[] {256, 256}),
                    p.get(LearnerSettings.MODEL_CLASSES));
            case "byte-lm" -> new ModelTemplate.ByteLm(p.get(LearnerSettings.MODEL_CONTEXT, 32), p.get(LearnerSettings.MODEL_EMBED),
                    p.get(LearnerSettings.MODEL_HIDDEN, new int[] {256}));
            case "byte-transformer" -> new ModelTemplate.ByteTransformer(p.get(LearnerSettings.MODEL_CONTEXT, 128),
                    p.get(LearnerSettings.MODEL_WIDTH), p.get(LearnerSettings.MODEL_HEADS), p.get(LearnerSettings.MODEL_LAYERS));
            default -> throw PropertyReader.bad(LearnerSettings.MODEL_KIND, kind);
        };
    }

    public LearnerServiceConfig withTopics(Topics v) {
        return new LearnerServiceConfig(v, groupId, models, learner, plan, checkpointDir, checkpointEverySteps, pollTimeout,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, drift, prequentialFading, snapshotFlow);
    }

    public LearnerServiceConfig withGroupId(String v) {
        return new LearnerServiceConfig(topics, v, models, learner, plan, checkpointDir, checkpointEverySteps, pollTimeout,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, drift, prequentialFading, snapshotFlow);
    }

    public LearnerServiceConfig withModels(ModelFactory v) {
        return new LearnerServiceConfig(topics, groupId, v, learner, plan, checkpointDir, checkpointEverySteps, pollTimeout,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, drift, prequentialFading, snapshotFlow);
    }

    public LearnerServiceConfig withLearner(LearnerConfig v) {
        return new LearnerServiceConfig(topics, groupId, models, v, plan, checkpointDir, checkpointEverySteps, pollTimeout,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, drift, prequentialFading, snapshotFlow);
    }

    public LearnerServiceConfig withPlan(EvaluationPlan v) {
        return new LearnerServiceConfig(topics, groupId, models, learner, v, checkpointDir, checkpointEverySteps, pollTimeout,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, drift, prequentialFading, snapshotFlow);
    }

    public LearnerServiceConfig withCheckpointDir(Path v) {
        return new LearnerServiceConfig(topics, groupId, models, learner, plan, v, checkpointEverySteps, pollTimeout,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, drift, prequentialFading, snapshotFlow);
    }

    public LearnerServiceConfig withCheckpointEverySteps(int v) {
        return new LearnerServiceConfig(topics, groupId, models, learner, plan, checkpointDir, v, pollTimeout,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, drift, prequentialFading, snapshotFlow);
    }

    public LearnerServiceConfig withPollTimeout(Duration v) {
        return new LearnerServiceConfig(topics, groupId, models, learner, plan, checkpointDir, checkpointEverySteps, v,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, drift, prequentialFading, snapshotFlow);
    }

    public LearnerServiceConfig withReadAhead(ReadAhead v) {
        return new LearnerServiceConfig(topics, groupId, models, learner, plan, checkpointDir, checkpointEverySteps, pollTimeout,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, v, batchLingerMs, drift, prequentialFading, snapshotFlow);
    }

    public LearnerServiceConfig withCheckpointStore(CheckpointStoreKind v) {
        return new LearnerServiceConfig(topics, groupId, models, learner, plan, checkpointDir, checkpointEverySteps, pollTimeout,
                v, checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, drift, prequentialFading, snapshotFlow);
    }

    public LearnerServiceConfig withBatchLingerMs(long v) {
        return new LearnerServiceConfig(topics, groupId, models, learner, plan, checkpointDir, checkpointEverySteps, pollTimeout,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, readAhead, v, drift, prequentialFading, snapshotFlow);
    }

    public LearnerServiceConfig withPrequentialFading(double v) {
        return new LearnerServiceConfig(topics, groupId, models, learner, plan, checkpointDir, checkpointEverySteps, pollTimeout,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, drift, v, snapshotFlow);
    }

    public LearnerServiceConfig withDrift(DriftConfig v) {
        return new LearnerServiceConfig(topics, groupId, models, learner, plan, checkpointDir, checkpointEverySteps, pollTimeout,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, v, prequentialFading, snapshotFlow);
    }

    public LearnerServiceConfig withSnapshotFlow(SnapshotFlow v) {
        return new LearnerServiceConfig(topics, groupId, models, learner, plan, checkpointDir, checkpointEverySteps, pollTimeout,
                checkpointStore, checkpointGenerations, checkpointChunkBytes, readAhead, batchLingerMs, drift, prequentialFading, v);
    }

    /** The store this configuration selects; the caller closes it. */
    CheckpointStore openCheckpointStore(java.util.Properties clientProperties) {
        return switch (checkpointStore) {
            case LOCAL -> new DirectoryCheckpointStore(checkpointDir);
            case KAFKA -> new KafkaCheckpointStore(topics.checkpoints(), clientProperties, checkpointGenerations, checkpointChunkBytes);
        };
    }
}
