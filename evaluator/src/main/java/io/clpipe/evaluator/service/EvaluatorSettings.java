package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.EvalSetConfig;
import io.clpipe.schemas.Setting;
import io.clpipe.schemas.SettingsCatalog;
import io.clpipe.schemas.TopicPrefixSetting;
import java.util.List;

/**
 * Every evaluator setting, declared once: {@link EvaluatorServiceConfig#fromProperties} reads through these, and
 * docs/operations.md's "Evaluator settings" table is generated from {@link #CATALOG}.
 */
public final class EvaluatorSettings {

    private EvaluatorSettings() {
    }

    public static final Setting<String> STATE_DIR = Setting.string("state.dir", null,
            "metrics-engine state, saved after each committed transaction, the eval sets (`eval-sets.bin`) and the models"
                    + " kept for forward transfer (`held-models/`); one per instance (locked). Required by the service;"
                    + " `clpipe evaluator` defaults it").shown("`clpipe-evaluator-state`");
    public static final Setting<String> GROUP_ID = Setting.string("group.id", EvaluatorServiceConfig.DEFAULT_GROUP_ID,
            "consumer group; instances in one group share the `clpipe.models` partitions");
    public static final Setting<String> TRANSACTIONAL_ID = Setting.string("transactional.id", null,
            "metrics producer's transactional id; one per instance, kept across its restarts (\"Scaling out\")")
            .shown("the group id");
    public static final Setting<Integer> EVAL_SET_SIZE = Setting.integer("eval.set.size", EvalSetConfig.DEFAULT_SIZE,
            "samples scored per task per evaluation");
    public static final Setting<String> EVAL_SUBSET_MODE = Setting.string("eval.subset.mode", "fixed",
            "`fixed` subset per task or `resampled` at each evaluation").expecting("fixed or resampled");
    public static final Setting<String> DIRECTION = Setting.string("direction", "auto",
            "`accuracy` or `loss`; auto picks loss for byte-level language models");
    public static final Setting<int[]> METRICS_WINDOWS = Setting.integers("metrics.windows",
            EngineConfig.DEFAULT_WINDOWS.stream().mapToInt(Integer::intValue).toArray(), "windows of WF/WP");
    public static final Setting<Double> RECOVERY_TOLERANCE = Setting.decimal("metrics.recovery.tolerance",
            EngineConfig.DEFAULT_TOLERANCE, "\"recovered\" = back within this of the pre-boundary score");
    public static final Setting<Integer> EVAL_RESERVOIR_SIZE = Setting.integer("eval.reservoir.size", null,
            "samples kept per (stream, task), ≥ `eval.set.size`; larger only matters for `resampled`")
            .shown("`eval.set.size`");
    public static final Setting<Long> EVAL_SEED = Setting.longValue("eval.seed", 0L, "seed of the eval-set reservoirs and subset draws");
    public static final Setting<Integer> LCA_BETA = Setting.integer("metrics.lca.beta", EngineConfig.DEFAULT_LCA_BETA,
            "evaluations averaged per task for LCA");
    public static final Setting<Integer> GAP_HISTORY = Setting.integer("metrics.gap.history", EngineConfig.DEFAULT_GAP_HISTORY,
            "closed stability gaps each stream's engine keeps");
    public static final Setting<Integer> TEXT_CONTEXT = Setting.integer("text.context", 64,
            "bytes of context kept per text eval window; a byte LM with a longer context cannot be scored (its tasks are"
                    + " reported missing)");
    public static final Setting<Long> POLL_TIMEOUT_MS = Setting.longValue("poll.timeout.ms", 500L,
            "models-topic poll timeout (also bounds how fast a stop returns)");
    public static final Setting<Long> CATCHUP_TIMEOUT_MS = Setting.longValue("catchup.timeout.ms", 10_000L,
            "longest wait for the eval topic to be read to its end before a batch of snapshots is evaluated");
    public static final Setting<Integer> MAX_SNAPSHOTS_PER_TRANSACTION = Setting.integer("max.snapshots.per.transaction", 16,
            "snapshots evaluated and committed in one transaction");
    public static final Setting<Integer> EVAL_THIN_BACKLOG = Setting.integer("eval.thin.backlog", 0,
            "with N > 0 the evaluator thins: it skips a snapshot while more than N snapshots lie after it on its models"
                    + " partition, except the versions the metrics need (\"Snapshots and back-pressure\", Thinning); 0 = off");
    public static final Setting<Integer> EVAL_THIN_DENSE_AFTER = Setting.integer("eval.thin.dense.after",
            EvaluatorServiceConfig.DEFAULT_THIN_DENSE_AFTER,
            "with thinning on, versions b + 1 … b + this after each boundary b (and 1 … this) are always scored");

    public static final Setting<String> SCORING = Setting.string("scoring", "local",
            "local: this evaluator scores every snapshot; spread: scorer instances (clpipe scorer) score the versions of each"
                    + " batch in parallel and this evaluator orders and publishes (needs eval.subset.mode=fixed, no thinning)");

    public static final SettingsCatalog CATALOG = new SettingsCatalog("evaluator", List.of(STATE_DIR, GROUP_ID,
            TRANSACTIONAL_ID, EVAL_SET_SIZE, EVAL_SUBSET_MODE, DIRECTION, METRICS_WINDOWS, RECOVERY_TOLERANCE,
            TopicPrefixSetting.SETTING, EVAL_RESERVOIR_SIZE, EVAL_SEED, LCA_BETA, GAP_HISTORY, TEXT_CONTEXT, POLL_TIMEOUT_MS,
            CATCHUP_TIMEOUT_MS, MAX_SNAPSHOTS_PER_TRANSACTION, EVAL_THIN_BACKLOG, EVAL_THIN_DENSE_AFTER, SCORING));
}
