package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.EvalSetConfig;
import io.clpipe.evaluator.engine.SubsetMode;
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
import java.util.function.Function;

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
 * @param spreadScoring      false (default): this evaluator scores every snapshot itself; true: scorer
 *                           instances ({@code clpipe scorer}) score the versions of each batch in parallel
 *                           and this evaluator orders, aggregates and publishes (docs/architecture.md,
 *                           "Spread scoring"); needs fixed eval subsets
 */
public record EvaluatorServiceConfig(Topics topics, String groupId, String transactionalId, int evalSetSize,
                                     int reservoirSize, SubsetMode subsetMode, long seed, Optional<Direction> direction,
                                     List<Integer> windows, int lcaBeta, double recoveryTolerance, int gapHistory,
                                     int textContext, Path stateDir, Duration pollTimeout, Duration catchUpTimeout,
                                     int maxSnapshotsPerTransaction, boolean spreadScoring) {

    public static final String DEFAULT_GROUP_ID = "clpipe-evaluator";

    public EvaluatorServiceConfig {
        require(topics != null, "topics are required");
        require(groupId != null && !groupId.isBlank(), "group id is required");
        require(transactionalId != null && !transactionalId.isBlank(), "transactional id is required");
        require(stateDir != null, "state dir is required");
        require(subsetMode != null, "subset mode is required");
        require(direction != null, "direction must be present or empty");
        require(textContext > 0, "text context must be > 0, got " + textContext);
        require(maxSnapshotsPerTransaction > 0, "snapshots per transaction must be > 0");
        require(positive(pollTimeout) && positive(catchUpTimeout), "timeouts must be positive");
        require(!spreadScoring || subsetMode == SubsetMode.FIXED, "scoring=spread needs eval.subset.mode=fixed: a resampled "
                + "subset is drawn anew at every evaluation, so scorers would not score the samples this evaluator would");
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
     * Reads the keys below (all optional except {@code state.dir}); an unknown key is an error, so a
     * typo does not silently fall back to a default.
     *
     * <pre>
     * state.dir                      (required)
     * topics.prefix                  clpipe. (former spelling topic.prefix accepted)
     * group.id                       clpipe-evaluator
     * transactional.id               the group id
     * eval.set.size                  1000
     * eval.reservoir.size            eval.set.size
     * eval.subset.mode               fixed | resampled
     * eval.seed                      0
     * direction                      auto | accuracy | loss
     * metrics.windows                10,100
     * metrics.lca.beta               10
     * metrics.recovery.tolerance     0.01
     * metrics.gap.history            100
     * text.context                   64
     * poll.timeout.ms                500
     * catchup.timeout.ms             10000
     * max.snapshots.per.transaction  16
     * </pre>
     */
    public static EvaluatorServiceConfig fromProperties(Properties properties) {
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(Builder.KEYS);
        require(unknown.isEmpty(), "unknown evaluator settings " + unknown + "; known: " + new TreeSet<>(Builder.KEYS));
        String dir = properties.getProperty("state.dir");
        require(dir != null && !dir.isBlank(), "state.dir is required");
        Builder b = builder(Path.of(dir));
        PropertyReader p = new PropertyReader(properties);
        TopicPrefixSetting.read("evaluator", properties).ifPresent(prefix -> b.topics(Topics.withPrefix(prefix)));
        p.string("group.id").ifPresent(b::groupId);
        p.string("transactional.id").ifPresent(b::transactionalId);
        p.integer("eval.set.size").ifPresent(b::evalSetSize);
        p.integer("eval.reservoir.size").ifPresent(b::reservoirSize);
        p.string("eval.subset.mode").ifPresent(m -> b.subsetMode(parseMode(m)));
        p.longValue("eval.seed").ifPresent(b::seed);
        p.string("direction").ifPresent(d -> b.direction(d.trim().equalsIgnoreCase("auto") ? null : Direction.parse(d)));
        p.string("metrics.windows").ifPresent(w -> b.windows(parseInts("metrics.windows", w)));
        p.integer("metrics.lca.beta").ifPresent(b::lcaBeta);
        p.doubleValue("metrics.recovery.tolerance").ifPresent(b::recoveryTolerance);
        p.integer("metrics.gap.history").ifPresent(b::gapHistory);
        p.integer("text.context").ifPresent(b::textContext);
        p.longValue("poll.timeout.ms").ifPresent(ms -> b.pollTimeout(Duration.ofMillis(ms)));
        p.longValue("catchup.timeout.ms").ifPresent(ms -> b.catchUpTimeout(Duration.ofMillis(ms)));
        p.integer("max.snapshots.per.transaction").ifPresent(b::maxSnapshotsPerTransaction);
        p.string("scoring").ifPresent(v -> b.spreadScoring(parseScoring(v)));
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
            throw new IllegalArgumentException("eval.subset.mode must be fixed or resampled, got '" + text + "'");
        }
    }

    private static List<Integer> parseInts(String key, String csv) {
        try {
            return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be comma-separated integers, got '" + csv + "'");
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

    /** Fluent construction with the defaults listed in {@link #fromProperties}. */
    public static final class Builder {

        static final Set<String> KEYS = Set.of("state.dir", TopicPrefixSetting.KEY, TopicPrefixSetting.FORMER_KEY, "group.id", "transactional.id",
                "eval.set.size", "eval.reservoir.size", "eval.subset.mode", "eval.seed", "direction", "metrics.windows",
                "metrics.lca.beta", "metrics.recovery.tolerance", "metrics.gap.history", "text.context",
                "poll.timeout.ms", "catchup.timeout.ms", "max.snapshots.per.transaction", "scoring");

        private final Path stateDir;
        private Topics topics = Topics.defaults();
        private String groupId = DEFAULT_GROUP_ID;
        private String transactionalId;
        private int evalSetSize = EvalSetConfig.DEFAULT_SIZE;
        private Integer reservoirSize;
        private SubsetMode subsetMode = SubsetMode.FIXED;
        private long seed;
        private Direction direction;
        private List<Integer> windows = EngineConfig.DEFAULT_WINDOWS;
        private int lcaBeta = EngineConfig.DEFAULT_LCA_BETA;
        private double recoveryTolerance = EngineConfig.DEFAULT_TOLERANCE;
        private int gapHistory = EngineConfig.DEFAULT_GAP_HISTORY;
        private int textContext = 64;
        private Duration pollTimeout = Duration.ofMillis(500);
        private Duration catchUpTimeout = Duration.ofSeconds(10);
        private int maxSnapshotsPerTransaction = 16;
        private boolean spreadScoring;

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

        /** True: scorer instances score the snapshots, this evaluator orders and publishes (scoring=spread). */
        public Builder spreadScoring(boolean value) {
            spreadScoring = value;
            return this;
        }

        public EvaluatorServiceConfig build() {
            return new EvaluatorServiceConfig(topics, groupId, transactionalId == null ? groupId : transactionalId,
                    evalSetSize, reservoirSize == null ? evalSetSize : reservoirSize, subsetMode, seed,
                    Optional.ofNullable(direction), windows, lcaBeta, recoveryTolerance, gapHistory, textContext, stateDir,
                    pollTimeout, catchUpTimeout, maxSnapshotsPerTransaction, spreadScoring);
        }
    }

    /** Typed reads of optional properties, naming the key on a bad value. */
    private record PropertyReader(Properties properties) {

        Optional<String> string(String key) {
            return Optional.ofNullable(properties.getProperty(key));
        }

        Optional<Integer> integer(String key) {
            return string(key).map(v -> parse(key, v, Integer::valueOf, "an integer"));
        }

        Optional<Long> longValue(String key) {
            return string(key).map(v -> parse(key, v, Long::valueOf, "an integer"));
        }

        Optional<Double> doubleValue(String key) {
            return string(key).map(v -> parse(key, v, Double::valueOf, "a number"));
        }

        private static <T> T parse(String key, String value, Function<String, T> parser, String what) {
            try {
                return parser.apply(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be " + what + ", got '" + value + "'");
            }
        }
    }
}
