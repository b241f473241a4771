package io.clpipe.learner.service;

import io.clpipe.learner.engine.GuardConfig;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.Prequential;
import io.clpipe.schemas.Setting;
import io.clpipe.schemas.SettingsCatalog;
import io.clpipe.schemas.SnapshotChunks;
import io.clpipe.schemas.TopicPrefixSetting;
import java.util.List;

/**
 * Every learner setting, declared once: {@link LearnerServiceConfig#fromProperties} reads through these, and
 * docs/operations.md's "Learner settings" table is generated from {@link #CATALOG}.
 */
public final class LearnerSettings {

    private LearnerSettings() {
    }

    // Service.
    public static final Setting<String> CHECKPOINT_STORE = Setting.string("checkpoint.store", "local",
            "`local`: one file per stream in `checkpoint.dir`; `kafka`: generations on the compacted `clpipe.checkpoints` topic,"
                    + " shared by every instance (\"Faults and recovery\")").expecting("local or kafka");
    public static final Setting<String> CHECKPOINT_DIR = Setting.string("checkpoint.dir", "clpipe-checkpoints",
            "one checkpoint file per stream (store `local`)");
    public static final Setting<Integer> CHECKPOINT_GENERATIONS = Setting.integer("checkpoint.kafka.generations",
            LearnerServiceConfig.DEFAULT_CHECKPOINT_GENERATIONS,
            "generations kept per stream on the topic (at least 2: a corrupt newest one falls back to the previous)");
    public static final Setting<Integer> CHECKPOINT_CHUNK_BYTES = Setting.integer("checkpoint.kafka.chunk.bytes",
            CheckpointChunks.DEFAULT_CHUNK_BYTES, "largest record of the topic; a checkpoint is cut into chunks of this size");
    public static final Setting<Integer> CHECKPOINT_EVERY_STEPS = Setting.integer("checkpoint.every.steps", 500,
            "periodic checkpoint (also on shutdown and on partition revoke)");
    public static final Setting<String> GROUP_ID = Setting.string("group.id", LearnerServiceConfig.DEFAULT_GROUP_ID,
            "consumer group; instances in one group share streams by partition");
    public static final Setting<Long> POLL_TIMEOUT_MS = Setting.longValue("poll.timeout.ms", 500L,
            "longest wait for training records; also bounds how late a stop and control events are noticed");
    public static final Setting<Integer> READ_AHEAD_RECORDS = Setting.integer("train.read.ahead.records",
            LearnerServiceConfig.DEFAULT_READ_AHEAD_RECORDS,
            "a second thread polls and decodes `clpipe.train` ahead of the training steps, at most this many records in memory;"
                    + " `0` turns it off (the loop then polls the topic itself, ~20% slower, docs/benchmarks.md). Its consumer"
                    + " takes the same client settings (`--kafka-config`) without a group, so it needs READ on the topic only;"
                    + " its client id is `clpipe-learner-read-ahead`");
    public static final Setting<Long> READ_AHEAD_BYTES = Setting.longValue("train.read.ahead.bytes",
            LearnerServiceConfig.DEFAULT_READ_AHEAD_BYTES, "at most this many bytes (encoded) read ahead in memory");
    public static final Setting<Integer> EVAL_PERIOD = Setting.integer("eval.period", 50,
            "snapshot cadence ρ (the evaluator scores what is published); a boundary's last old-task version is published"
                    + " whatever ρ (\"Task boundaries\")");
    public static final Setting<Integer> EVAL_DENSE_WINDOW = Setting.integer("eval.dense.window", 50,
            "boundary-dense window W: a snapshot at each of the first W iterations after a boundary");
    public static final Setting<Long> BATCH_LINGER_MS = Setting.longValue("batch.linger.ms",
            LearnerServiceConfig.DEFAULT_BATCH_LINGER_MS,
            "a stream idle this long, its partition read to the end, has its partial batch trained as one short step,"
                    + " checkpointed at once (\"Idle streams\"); `-1`: never (a tail waits for more records)");
    public static final Setting<Double> PREQUENTIAL_FADING = Setting.decimal("prequential.fading", Prequential.DEFAULT_FADING,
            "fading factor α of the prequential (test-then-train) accuracy and loss, in (0, 1]; 1 = the plain mean over"
                    + " everything seen (metrics.md, \"Prequential\")");
    public static final Setting<Integer> SNAPSHOT_CHUNK_BYTES = Setting.integer("snapshot.chunk.bytes",
            SnapshotChunks.DEFAULT_CHUNK_BYTES,
            "a snapshot larger than this is sent as chunk records of at most this payload plus a manifest (records.md,"
                    + " \"Chunked snapshots\"); must fit the models topic's `max.message.bytes` less 16 KiB, checked at start"
                    + " (\"Snapshots and back-pressure\")");
    public static final Setting<Integer> EVAL_MAX_LAG = Setting.integer("eval.max.lag", 0,
            "with N > 0 training waits while more than N of this learner's snapshots are not yet committed by the evaluator"
                    + " group `eval.group.id` (\"Snapshots and back-pressure\")").shown("0 (off)");
    public static final Setting<String> EVAL_GROUP_ID = Setting.string("eval.group.id", SnapshotFlow.DEFAULT_EVAL_GROUP_ID,
            "the evaluator group whose committed models-topic offsets `eval.max.lag` reads");

    // Model.
    public static final Setting<String> MODEL_KIND = Setting.string("model.kind", "mlp",
            "`mlp`, `byte-lm` or `byte-transformer`; a transformer sample is a window of `model.context` bytes, so"
                    + " `batch.size` counts windows (each trains on `model.context` bytes)")
            .expecting("mlp, byte-lm or byte-transformer");
    public static final Setting<int[]> MODEL_HIDDEN = Setting.integers("model.hidden", null,
            "hidden layer widths of `mlp` and `byte-lm`").shown("`256,256`; byte-lm `256`");
    public static final Setting<Integer> MODEL_CLASSES = Setting.integer("model.classes", 10, "classes of `mlp`");
    public static final Setting<Integer> MODEL_CONTEXT = Setting.integer("model.context", null,
            "bytes of context of `byte-lm` and `byte-transformer`").shown("32; byte-transformer 128");
    public static final Setting<Integer> MODEL_EMBED = Setting.integer("model.embed", 16, "byte embedding width of `byte-lm`");
    public static final Setting<Integer> MODEL_WIDTH = Setting.integer("model.width", 128, "model width of `byte-transformer`");
    public static final Setting<Integer> MODEL_HEADS = Setting.integer("model.heads", 4, "attention heads of `byte-transformer`");
    public static final Setting<Integer> MODEL_LAYERS = Setting.integer("model.layers", 2, "layers of `byte-transformer`");

    // Learner.
    public static final Setting<Long> SEED = Setting.longValue("seed", LearnerConfig.defaults().seed(),
            "drives initialisation, replay sampling and everything random");
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("batch.size", LearnerConfig.defaults().batchSize(),
            "samples per step, new plus replayed");
    public static final Setting<String> OPTIMIZER = Setting.string("optimizer", "sgd", "`sgd` or `adamw`")
            .expecting("sgd or adamw");
    public static final Setting<Double> MOMENTUM = Setting.decimal("momentum", 0.9, "SGD momentum");
    public static final Setting<Boolean> NESTEROV = Setting.bool("nesterov", false, "Nesterov momentum (SGD)");
    public static final Setting<Double> WEIGHT_DECAY = Setting.decimal("weight.decay", null, "decoupled weight decay")
            .shown("sgd 0; adamw 0.01");
    public static final Setting<Double> ADAMW_BETA1 = Setting.decimal("adamw.beta1", 0.9, "AdamW β1");
    public static final Setting<Double> ADAMW_BETA2 = Setting.decimal("adamw.beta2", 0.999, "AdamW β2");
    public static final Setting<Double> ADAMW_EPSILON = Setting.decimal("adamw.epsilon", 1e-8, "AdamW ε").shown("1e-8");
    public static final Setting<Double> LR = Setting.decimal("lr", 0.01, "peak learning rate η_max");
    public static final Setting<String> SCHEDULE = Setting.string("schedule", "constant",
            "`constant`, `cosine`, `linear`, `rex`, `wsd`, `power` or `infinite`")
            .expecting("constant, cosine, linear, rex, wsd, power or infinite");
    public static final Setting<Long> WARMUP_STEPS = Setting.longValue("warmup.steps", 0L, "linear warmup steps T_w");
    public static final Setting<Long> TOTAL_STEPS = Setting.longValue("total.steps", null,
            "planned steps T; required by `cosine`, `linear`, `rex` and `wsd`").shown("—");
    public static final Setting<Double> LR_FLOOR = Setting.decimal("lr.floor", null, "floor η_min of the decaying schedules")
            .shown("0.1·`lr`");
    public static final Setting<Double> REWARM_LR = Setting.decimal("rewarm.lr", null, "peak of the re-warm at a boundary")
            .shown("`lr`");
    public static final Setting<Long> REWARM_STEPS = Setting.longValue("rewarm.steps", null,
            "warmup steps of the re-warm at a boundary").shown("decaying schedules 1% of `total.steps`; power `warmup.steps`; constant 0");
    public static final Setting<Double> WSD_DECAY_FRACTION = Setting.decimal("wsd.decay.fraction", 0.1,
            "share of `total.steps` `wsd` spends decaying");
    public static final Setting<Double> POWER_A = Setting.decimal("power.a", null, "a of `power`: η = min(`lr`, a·n^b); required").shown("—");
    public static final Setting<Double> POWER_B = Setting.decimal("power.b", -0.5, "b of `power`");
    public static final Setting<Double> INFINITE_CONSTANT = Setting.decimal("infinite.constant", null,
            "η_const of `infinite`; required").shown("—");
    public static final Setting<String> INFINITE_COOLDOWN = Setting.string("infinite.cooldown", "cosine",
            "cooldown shape of `infinite`: `cosine` or `inverse-sqrt`");
    public static final Setting<Long> INFINITE_COOLDOWN_STEPS = Setting.longValue("infinite.cooldown.steps", 0L,
            "cooldown length T_cd of `infinite`");
    public static final Setting<Double> INFINITE_ALPHA = Setting.decimal("infinite.alpha", 0.0, "α of the `inverse-sqrt` cooldown");
    public static final Setting<Long> INFINITE_ANNEAL_STEPS = Setting.longValue("infinite.anneal.steps", null,
            "length of the anneal of `infinite` to a deployable checkpoint; required").shown("—");
    public static final Setting<Double> CLIP_NORM = Setting.decimal("clip.norm", 0.0, "global gradient-norm clipping; 0: off");
    public static final Setting<Boolean> RESET_OPTIMIZER = Setting.bool("reset.optimizer.on.boundary", false,
            "optimizer state reset at each task boundary");
    public static final Setting<String> REPLAY_POLICY = Setting.string("replay.policy", "none",
            "`none`, `reservoir`, `class-balanced`, `task-balanced` or `past`. `past` stores like `task-balanced` but a batch"
                    + " replays only samples of tasks other than its own (the previous data sets, as Ibrahim et al. 2024); while"
                    + " none are stored (the first task, or a task-free stream) the learner takes B new samples per step instead"
                    + " of B − round(r·B), so every batch holds B samples")
            .expecting("none, reservoir, class-balanced, task-balanced or past");
    public static final Setting<Integer> REPLAY_CAPACITY = Setting.integer("replay.capacity", 2000, "samples the replay buffer keeps");
    public static final Setting<Double> REPLAY_FRACTION = Setting.decimal("replay.fraction", 0.5,
            "share r of each batch that is replayed");
    public static final Setting<String> REPLAY_LOSS_WEIGHTS = Setting.string("replay.loss.weights", null,
            "loss weights of the new and the replayed part, e.g. `0.3,0.7`").shown("none");
    public static final Setting<Integer> REPTILE_EVERY = Setting.integer("reptile.every", 0,
            "MER/Reptile interpolation every k steps").shown("0 (off)");
    public static final Setting<Double> REPTILE_EPSILON = Setting.decimal("reptile.epsilon", 0.1, "Reptile's ε");
    public static final Setting<Double> GUARD_LR_FACTOR = Setting.decimal("guard.lr.factor", GuardConfig.defaults().lrFactor(),
            "divergence back-off: η is multiplied by this after a non-finite loss or gradient");
    public static final Setting<Integer> GUARD_SNAPSHOT_EVERY = Setting.integer("guard.snapshot.every",
            GuardConfig.defaults().snapshotEvery(), "steps between the divergence guard's last-good copies");
    public static final Setting<String> DRIFT = Setting.string("drift.*", null,
            "`drift.signals=loss`: ADWIN on the training loss re-warms at the iteration of a rise; the other `drift.*` keys"
                    + " tune it (\"Drift detection\" below)").shown("off");

    public static final SettingsCatalog CATALOG = new SettingsCatalog("learner", List.of(CHECKPOINT_STORE, CHECKPOINT_DIR,
            CHECKPOINT_GENERATIONS, CHECKPOINT_CHUNK_BYTES, CHECKPOINT_EVERY_STEPS, GROUP_ID, TopicPrefixSetting.SETTING,
            POLL_TIMEOUT_MS, READ_AHEAD_RECORDS, READ_AHEAD_BYTES, EVAL_PERIOD, EVAL_DENSE_WINDOW, BATCH_LINGER_MS,
            PREQUENTIAL_FADING, SNAPSHOT_CHUNK_BYTES, EVAL_MAX_LAG, EVAL_GROUP_ID, MODEL_KIND, MODEL_HIDDEN, MODEL_CLASSES,
            MODEL_CONTEXT, MODEL_EMBED, MODEL_WIDTH, MODEL_HEADS, MODEL_LAYERS, SEED, BATCH_SIZE, OPTIMIZER, MOMENTUM, NESTEROV,
            WEIGHT_DECAY, ADAMW_BETA1, ADAMW_BETA2, ADAMW_EPSILON, LR, SCHEDULE, WARMUP_STEPS, TOTAL_STEPS, LR_FLOOR, REWARM_LR,
            REWARM_STEPS, WSD_DECAY_FRACTION, POWER_A, POWER_B, INFINITE_CONSTANT, INFINITE_COOLDOWN, INFINITE_COOLDOWN_STEPS,
            INFINITE_ALPHA, INFINITE_ANNEAL_STEPS, CLIP_NORM, RESET_OPTIMIZER, REPLAY_POLICY, REPLAY_CAPACITY, REPLAY_FRACTION,
            REPLAY_LOSS_WEIGHTS, REPTILE_EVERY, REPTILE_EPSILON, GUARD_LR_FACTOR, GUARD_SNAPSHOT_EVERY, DRIFT));
}
