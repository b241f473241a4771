package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.EvalSetConfig;
import io.clpipe.evaluator.engine.SubsetMode;
import io.clpipe.schemas.Setting;
import io.clpipe.schemas.TopicPrefixSetting;
import io.clpipe.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of the {@link EvaluatorService}. Build with {@link #builder(Path)} or
 * {@link #fromProperties(Properties)}; Kafka client settings (bootstrap servers, security) are
 * passed to the service separately.
 *
 * @param topics             topic names (prefix configurable)
 * @param groupId            consumer group whose committed models-topic offsets the metrics
 *                           transactions carry
 * @param transactionalId    transactional id of the metrics producer, one per evaluator instance
 *                           (evaluators of one group share its partitions); a second evaluator with
 *                           the same id fences the first
 * @param evalSetSize        samples scored per task and evaluation (ContinualEvaluation: 1000)
 * @param reservoirSize      samples kept per (stream, task); ≥ evalSetSize, larger only matters for
 *                           {@link SubsetMode#RESAMPLED}
 * @param subsetMode         fixed subset per task (default) or resampled at each evaluation
 * @param seed               seed of the eval-set reservoirs and subset draws
 * @param direction          empty: accuracy for classifier specs, loss for byte-LM specs; else forced
 * @param windows            WF/WP windows (10, 100)
 * @param lcaBeta            evaluations averaged per task for LCA (10)
 * @param recoveryTolerance  stability-gap recovery tolerance in score units (0.01)
 * @param gapHistory         closed stability gaps each stream's engine retains (100)
 * @param textContext        bytes of context kept per text eval window; a byte LM with a longer
 *                           context cannot be scored (its tasks are reported missing)
 * @param stateDir           where the engine state is persisted
 * @param pollTimeout        models-topic poll timeout (also bounds how fast close() returns)
 * @param catchUpTimeout     longest wait for the eval topic to be read up to its end before a batch
 *                           of snapshots is evaluated
 * @param maxSnapshotsPerTransaction snapshots evaluated and committed together
 * @param thinning           which snapshots may be skipped when the evaluator is behind (off by default)
 * @param spreadScoring      false (default): this evaluator scores every snapshot itself; true: scorer
 *                           instances ({@code clpipe scorer}) score the versions of each batch in parallel
 *                           and this evaluator orders, aggregates and publishes (docs/architecture.md,
 *                           "Spread scoring"); needs fixed eval subsets
 */
public record EvaluatorServiceConfig(Topics topics, String groupId, String transactionalId, int evalSetSize,
                                     int reservoirSize, SubsetMode subsetMode, long seed, Optional<Direction> direction,
                                     List<Integer> windows, int lcaBeta, double recoveryTolerance, int gapHistory,
                                     int textContext, Path stateDir, Duration pollTimeout, Duration catchUpTimeout,
                                     int maxSnapshotsPerTransaction, Thinning thinning,
                                     boolean spreadScoring) {

    public static final String DEFAULT_GROUP_ID = "clpipe-evaluator";
    /** Versions after each boundary that thinning always scores (docs/operations.md, "Thinning"). */
    public static final int DEFAULT_THIN_DENSE_AFTER = 100;

    public EvaluatorServiceConfig {
        require(topics != null, "topics are required");
        require(groupId != null && !groupId.isBlank(), "group id is required");
        require(transactionalId != null && !transactionalId.isBlank(), "transactional id is required");
        require(stateDir != null, "state dir is required");
        require(subsetMode != null, "subset mode is required");
        require(direction != null, "direction must be present or empty");
        require(textContext > 0, "text context must be > 0, got " + textContext);
        require(maxSnapshotsPerTransaction > 0, "snapshots per transaction must be > 0");
        require(thinning != null, "thinning settings are required (Thinning.OFF for none)");
        require(positive(pollTimeout) && positive(catchUpTimeout), "timeouts must be positive");
        require(!spreadScoring || subsetMode == SubsetMode.FIXED, "scoring=spread needs eval.subset.mode=fixed: a resampled "
                + "subset is drawn anew at every evaluation, so scorers would not score the samples this evaluator would");
        require(!spreadScoring || !thinning.on(), "scoring=spread does not thin: set eval.thin.backlog=0 (or scoring=local)");
        windows = List.copyOf(windows);
        // Validates sizes, windows, β, tolerance and history with the engine's own rules.
        new EvalSetConfig(reservoirSize, evalSetSize, subsetMode, seed);
        new EngineConfig(Direction.ACCURACY, windows, lcaBeta, recoveryTolerance, gapHistory);
    }

    public static Builder builder(Path stateDir) {
        return new Builder(stateDir);
    }

    public EvalSetConfig evalSetConfig() {
        return new EvalSetConfig(reservoirSize, evalSetSize, subsetMode, seed);
    }

    public EngineConfig engineConfig(Direction scoreDirection) {
        return new EngineConfig(scoreDirection, windows, lcaBeta, recoveryTolerance, gapHistory);
    }

    /**
     * Reads the keys declared in {@link EvaluatorSettings} (all optional except {@code state.dir}; docs/operations.md,
     * "Evaluator settings", is generated from them); an unknown key is an error, so a typo does not silently fall back
     * to a default.
     */
    public static EvaluatorServiceConfig fromProperties(Properties properties) {
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(Builder.KEYS);
        require(unknown.isEmpty(), "unknown evaluator settings " + unknown + "; known: " + new TreeSet<>(Builder.KEYS));
        String dir = properties.getProperty(EvaluatorSettings.STATE_DIR.key());
        require(dir != null && !dir.isBlank(), "state.dir is required");
        Builder b = builder(Path.of(dir));
        PropertyReader p = new PropertyReader(properties);
        TopicPrefixSetting.read("evaluator", properties).ifPresent(prefix -> b.topics(Topics.withPrefix(prefix)));
        p.value(EvaluatorSettings.GROUP_ID).ifPresent(b::groupId);
        p.value(EvaluatorSettings.TRANSACTIONAL_ID).ifPresent(b::transactionalId);
        p.value(EvaluatorSettings.EVAL_SET_SIZE).ifPresent(b::evalSetSize);
        p.value(EvaluatorSettings.EVAL_RESERVOIR_SIZE).ifPresent(b::reservoirSize);
        p.value(EvaluatorSettings.EVAL_SUBSET_MODE).ifPresent(m -> b.subsetMode(parseMode(m)));
        p.value(EvaluatorSettings.EVAL_SEED).ifPresent(b::seed);
        p.value(EvaluatorSettings.DIRECTION).ifPresent(d -> b.direction(d.equalsIgnoreCase("auto") ? null : Direction.parse(d)));
        p.value(EvaluatorSettings.METRICS_WINDOWS).ifPresent(w -> b.windows(Arrays.stream(w).boxed().toList()));
        p.value(EvaluatorSettings.LCA_BETA).ifPresent(b::lcaBeta);
        p.value(EvaluatorSettings.RECOVERY_TOLERANCE).ifPresent(b::recoveryTolerance);
        p.value(EvaluatorSettings.GAP_HISTORY).ifPresent(b::gapHistory);
        p.value(EvaluatorSettings.TEXT_CONTEXT).ifPresent(b::textContext);
        p.value(EvaluatorSettings.POLL_TIMEOUT_MS).ifPresent(ms -> b.pollTimeout(Duration.ofMillis(ms)));
        p.value(EvaluatorSettings.CATCHUP_TIMEOUT_MS).ifPresent(ms -> b.catchUpTimeout(Duration.ofMillis(ms)));
        p.value(EvaluatorSettings.MAX_SNAPSHOTS_PER_TRANSACTION).ifPresent(b::maxSnapshotsPerTransaction);
        p.value(EvaluatorSettings.EVAL_THIN_BACKLOG).ifPresent(b::thinBacklog);
        p.value(EvaluatorSettings.EVAL_THIN_DENSE_AFTER).ifPresent(b::thinDenseAfter);
        p.value(EvaluatorSettings.SCORING).ifPresent(v -> b.spreadScoring(parseScoring(v)));
        return b.build();
    }

    private static boolean parseScoring(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "local" -> false;
            case "spread" -> true;
            default -> throw new IllegalArgumentException("scoring must be local or spread, got '" + text + "'");
        };
    }

    private static SubsetMode parseMode(String text) {
        try {
            return SubsetMode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw PropertyReader.invalid(EvaluatorSettings.EVAL_SUBSET_MODE, text);
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Fluent construction with the defaults declared in {@link EvaluatorSettings}. */
    public static final class Builder {

        static final Set<String> KEYS = keys();

        private final Path stateDir;
        private Topics topics = Topics.defaults();
        private String groupId = EvaluatorSettings.GROUP_ID.defaultValue();
        private String transactionalId;
        private int evalSetSize = EvaluatorSettings.EVAL_SET_SIZE.defaultValue();
        private Integer reservoirSize;
        private SubsetMode subsetMode = parseMode(EvaluatorSettings.EVAL_SUBSET_MODE.defaultValue());
        private long seed = EvaluatorSettings.EVAL_SEED.defaultValue();
        private Direction direction;
        private List<Integer> windows = Arrays.stream(EvaluatorSettings.METRICS_WINDOWS.defaultValue()).boxed().toList();
        private int lcaBeta = EvaluatorSettings.LCA_BETA.defaultValue();
        private double recoveryTolerance = EvaluatorSettings.RECOVERY_TOLERANCE.defaultValue();
        private int gapHistory = EvaluatorSettings.GAP_HISTORY.defaultValue();
        private int textContext = EvaluatorSettings.TEXT_CONTEXT.defaultValue();
        private Duration pollTimeout = Duration.ofMillis(EvaluatorSettings.POLL_TIMEOUT_MS.defaultValue());
        private Duration catchUpTimeout = Duration.ofMillis(EvaluatorSettings.CATCHUP_TIMEOUT_MS.defaultValue());
        private int maxSnapshotsPerTransaction = EvaluatorSettings.MAX_SNAPSHOTS_PER_TRANSACTION.defaultValue();
        private int thinBacklog = EvaluatorSettings.EVAL_THIN_BACKLOG.defaultValue();
        private int thinDenseAfter = EvaluatorSettings.EVAL_THIN_DENSE_AFTER.defaultValue();
        private boolean spreadScoring = parseScoring(EvaluatorSettings.SCORING.defaultValue());

        private static Set<String> keys() {
            Set<String> keys = new TreeSet<>(EvaluatorSettings.CATALOG.keys());
            keys.add(TopicPrefixSetting.FORMER_KEY);
            return Set.copyOf(keys);
        }

        private Builder(Path stateDir) {
            this.stateDir = stateDir;
        }

        public Builder topics(Topics value) {
            topics = value;
            return this;
        }

        public Builder groupId(String value) {
            groupId = value;
            return this;
        }

        /** Defaults to the group id. */
        public Builder transactionalId(String value) {
            transactionalId = value;
            return this;
        }

        public Builder evalSetSize(int value) {
            evalSetSize = value;
            return this;
        }

        /** Defaults to the eval-set size. */
        public Builder reservoirSize(int value) {
            reservoirSize = value;
            return this;
        }

        public Builder subsetMode(SubsetMode value) {
            subsetMode = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Null: derived from each stream's model spec. */
        public Builder direction(Direction value) {
            direction = value;
            return this;
        }

        public Builder windows(List<Integer> value) {
            windows = value;
            return this;
        }

        public Builder lcaBeta(int value) {
            lcaBeta = value;
            return this;
        }

        public Builder recoveryTolerance(double value) {
            recoveryTolerance = value;
            return this;
        }

        public Builder gapHistory(int value) {
            gapHistory = value;
            return this;
        }

        public Builder textContext(int value) {
            textContext = value;
            return this;
        }

        public Builder pollTimeout(Duration value) {
            pollTimeout = value;
            return this;
        }

        public Builder catchUpTimeout(Duration value) {
            catchUpTimeout = value;
            return this;
        }

        public Builder maxSnapshotsPerTransaction(int value) {
            maxSnapshotsPerTransaction = value;
            return this;
        }

        /** Skip snapshots while more than this many are behind the one in hand on its partition; 0: never. */
        public Builder thinBacklog(int value) {
            thinBacklog = value;
            return this;
        }

        /** Versions after each boundary that thinning always scores. */
        public Builder thinDenseAfter(int value) {
            thinDenseAfter = value;
            return this;
        }

        /** True: scorer instances score the snapshots, this evaluator orders and publishes (scoring=spread). */
        public Builder spreadScoring(boolean value) {
            spreadScoring = value;
            return this;
        }

        public EvaluatorServiceConfig build() {
            return new EvaluatorServiceConfig(topics, groupId, transactionalId == null ? groupId : transactionalId,
                    evalSetSize, reservoirSize == null ? evalSetSize : reservoirSize, subsetMode, seed,
                    Optional.ofNullable(direction), windows, lcaBeta, recoveryTolerance, gapHistory, textContext, stateDir,
                    pollTimeout, catchUpTimeout, maxSnapshotsPerTransaction, new Thinning(thinBacklog, thinDenseAfter),
                    spreadScoring);
        }
    }

    /** Typed reads of optional properties, naming the key on a bad value. */
    private record PropertyReader(Properties properties) {

        <T> Optional<T> value(Setting<T> setting) {
            return Optional.ofNullable(properties.getProperty(setting.key())).map(v -> {
                try {
                    return setting.parse(v);
                } catch (IllegalArgumentException e) {
                    throw invalid(setting, v);
                }
            });
        }

        static IllegalArgumentException invalid(Setting<?> setting, String value) {
            return new IllegalArgumentException(setting.key() + " must be " + setting.expected() + ", got '" + value + "'");
        }
    }
}
