package io.clpipe.evaluator.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link ContinualMetricsEngine} holds, as plain values: what a service persists so
 * that an engine rebuilt with {@link ContinualMetricsEngine#restore} continues exactly where the
 * exported one stopped. Bounded like the engine itself ({@link Footprint}).
 *
 * @param config        the engine's settings (the restored engine uses these)
 * @param lastIteration iteration of the latest evaluation, −1 before any
 * @param currentTask   task being learned at it, null before the first learning evaluation
 * @param lastScores    scores of the latest evaluation, in their order
 * @param tasks         every task known, in order of first appearance
 * @param matrix        the recorded accuracy-matrix cells, sorted by (learning task, eval task)
 * @param openGaps      stability gaps of the current segment, in boundary order
 * @param closedGaps    retained closed gaps, oldest first
 */
public record EngineState(EngineConfig config, long lastIteration, String currentTask, Map<String, Double> lastScores,
                          List<Task> tasks, List<Cell> matrix, List<OpenGap> openGaps, List<StabilityGap> closedGaps) {

    public EngineState {
        lastScores = Collections.unmodifiableMap(new LinkedHashMap<>(lastScores));
        tasks = List.copyOf(tasks);
        matrix = List.copyOf(matrix);
        openGaps = List.copyOf(openGaps);
        closedGaps = List.copyOf(closedGaps);
    }

    /**
     * One task. The learning fields ({@code recentGoodness} … {@code curveSum}) are empty/zero while
     * {@code learnOrder} is −1 (the task has only been evaluated).
     *
     * @param recentGoodness the last (w − 1) goodness values of the windowed change, oldest first
     * @param maxDrop        largest drop per configured window, in window order
     * @param maxRise        largest rise per configured window
     * @param curveCount     scores in the learning curve so far (≤ β)
     * @param curveSum       their sum
     */
    public record Task(String id, int learnOrder, Double latest, long latestIteration, Double worstSinceEnd,
                       Double initial, List<Double> recentGoodness, List<Double> maxDrop, List<Double> maxRise,
                       int curveCount, double curveSum) {
        public Task {
            recentGoodness = List.copyOf(recentGoodness);
            maxDrop = List.copyOf(maxDrop);
            maxRise = List.copyOf(maxRise);
        }
    }

    /** a(learningTask, evalTask) = score. */
    public record Cell(String learningTask, String evalTask, double score) {
    }

    /** A stability gap still following its task's scores. */
    public record OpenGap(long boundaryIteration, String task, double before, long beforeIteration, Double worst,
                          Long worstIteration, boolean left, Long recoveredAt) {
    }
}
