package io.clpipe.evaluator.engine;

import java.util.Arrays;
import java.util.List;

/**
 * Settings of the {@link ContinualMetricsEngine}.
 *
 * @param direction         whether higher (accuracy) or lower (loss) scores are better
 * @param windows           window sizes w of WF^w / WP^w, each ≥ 2 (the paper reports 10 and 100)
 * @param lcaBeta           β of the learning curve area: evaluations averaged per task (10)
 * @param recoveryTolerance how close (in score units) an old task must come back to its
 *                          pre-boundary score to count as recovered (0.01 = 1 accuracy point)
 * @param gapHistory        closed stability gaps retained; older ones are dropped (open gaps, at most
 *                          one per task, are always kept)
 */
public record EngineConfig(Direction direction, List<Integer> windows, int lcaBeta, double recoveryTolerance,
                           int gapHistory) {

    public static final List<Integer> DEFAULT_WINDOWS = List.of(10, 100);
    public static final int DEFAULT_LCA_BETA = 10;
    public static final double DEFAULT_TOLERANCE = 0.01;
    public static final int DEFAULT_GAP_HISTORY = 100;

    public EngineConfig {
        if (direction == null) {
            throw new IllegalArgumentException("direction is required");
        }
        int[] sorted = windows.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        if (sorted.length == 0 || sorted[0] < 2) {
            throw new IllegalArgumentException("need at least one window, each >= 2, got " + windows);
        }
        windows = Arrays.stream(sorted).boxed().toList();
        if (lcaBeta < 1) {
            throw new IllegalArgumentException("lcaBeta must be >= 1, got " + lcaBeta);
        }
        if (!(recoveryTolerance >= 0) || Double.isInfinite(recoveryTolerance)) {
            throw new IllegalArgumentException("recoveryTolerance must be finite and >= 0, got " + recoveryTolerance);
        }
        if (gapHistory < 0) {
            throw new IllegalArgumentException("gapHistory must be >= 0, got " + gapHistory);
        }
    }

    /** w = 10 and 100, β = 10, tolerance 0.01, 100 closed gaps retained. */
    public static EngineConfig defaults(Direction direction) {
        return new EngineConfig(direction, DEFAULT_WINDOWS, DEFAULT_LCA_BETA, DEFAULT_TOLERANCE, DEFAULT_GAP_HISTORY);
    }

    public EngineConfig withWindows(List<Integer> newWindows) {
        return new EngineConfig(direction, newWindows, lcaBeta, recoveryTolerance, gapHistory);
    }

    public EngineConfig withLcaBeta(int beta) {
        return new EngineConfig(direction, windows, beta, recoveryTolerance, gapHistory);
    }

    public EngineConfig withRecoveryTolerance(double tolerance) {
        return new EngineConfig(direction, windows, lcaBeta, tolerance, gapHistory);
    }

    public EngineConfig withGapHistory(int history) {
        return new EngineConfig(direction, windows, lcaBeta, recoveryTolerance, history);
    }
}
