package io.clpipe.evaluator.engine;

import io.clpipe.schemas.MetricKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All continual-evaluation metrics after one evaluated iteration. Scores and metrics are in the
 * score's own units (accuracy fraction or loss); null where a metric is not defined yet. See
 * docs/metrics.md for each definition and its direction.
 *
 * @param iteration          n, the iteration of the latest evaluation
 * @param learningTask       k, the task being learned at n (null for the initial model)
 * @param direction          accuracy (higher is better) or loss (lower is better)
 * @param scores             A(i, n) of this evaluation
 * @param tasks              column order of {@code accuracyMatrix}: learned tasks in learning order
 *                           (order of first appearance as learning task), then tasks only evaluated so
 *                           far, in order of first appearance
 * @param learnedTasks       number of tasks learned so far; the matrix rows are tasks[0..learnedTasks)
 * @param acc                ACC: mean latest score over learned tasks
 * @param minAcc             min-ACC: mean over earlier tasks of their worst score since they ended
 * @param wcAcc              WC-ACC = A(k, n)/k + (1 − 1/k)·min-ACC
 * @param windowedForgetting WF^w per window w
 * @param windowedPlasticity WP^w per window w
 * @param lca                learning curve area (β first scores per task, averaged)
 * @param accuracyMatrix     a(k, j), rows and columns as described; null cells not recorded
 * @param forgettingByTask   Chaudhry's f_j for each earlier task j with a defined value
 * @param forgetting         mean of {@code forgettingByTask}
 * @param bwt                backward transfer (positive = earlier tasks got better)
 * @param fwt                forward transfer (needs the initial model and pre-boundary scores)
 * @param learningAccuracy   mean of a(i, i)
 * @param gaps               stability gaps, retained closed ones first, then the open ones
 * @param initialScores      b_i: the initial model's score per task, in {@code tasks} order, where known
 */
public record MetricsSnapshot(long iteration, String learningTask, Direction direction, Map<String, Double> scores,
                              List<String> tasks, int learnedTasks, Double acc, Double minAcc, Double wcAcc,
                              Map<Integer, Double> windowedForgetting, Map<Integer, Double> windowedPlasticity,
                              Double lca, List<List<Double>> accuracyMatrix, Map<String, Double> forgettingByTask,
                              Double forgetting, Double bwt, Double fwt, Double learningAccuracy,
                              List<StabilityGap> gaps, Map<String, Double> initialScores) {

    public MetricsSnapshot {
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        tasks = List.copyOf(tasks);
        windowedForgetting = Collections.unmodifiableMap(new LinkedHashMap<>(windowedForgetting));
        windowedPlasticity = Collections.unmodifiableMap(new LinkedHashMap<>(windowedPlasticity));
        List<List<Double>> rows = new ArrayList<>(accuracyMatrix.size());
        for (List<Double> row : accuracyMatrix) {
            rows.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        accuracyMatrix = Collections.unmodifiableList(rows);
        forgettingByTask = Collections.unmodifiableMap(new LinkedHashMap<>(forgettingByTask));
        gaps = List.copyOf(gaps);
        initialScores = Collections.unmodifiableMap(new LinkedHashMap<>(initialScores));
    }

    /** WF^w, or null if w is not a configured window or no task has been learned. */
    public Double wf(int window) {
        return windowedForgetting.get(window);
    }

    /** WP^w, or null if w is not a configured window or no task has been learned. */
    public Double wp(int window) {
        return windowedPlasticity.get(window);
    }

    /**
     * The aggregates under the names of the metrics topic ({@link MetricKeys}: acc, min_acc, wc_acc,
     * wf&lt;w&gt;, wp&lt;w&gt; per configured window, lca, forgetting, bwt, fwt, learning_accuracy); null values
     * where undefined.
     */
    public Map<String, Double> aggregates() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(MetricKeys.ACC, acc);
        out.put(MetricKeys.MIN_ACC, minAcc);
        out.put(MetricKeys.WC_ACC, wcAcc);
        windowedForgetting.forEach((w, v) -> out.put("wf" + w, v));
        windowedPlasticity.forEach((w, v) -> out.put("wp" + w, v));
        out.put(MetricKeys.LCA, lca);
        out.put(MetricKeys.FORGETTING, forgetting);
        out.put(MetricKeys.BWT, bwt);
        out.put(MetricKeys.FWT, fwt);
        out.put(MetricKeys.LEARNING_ACCURACY, learningAccuracy);
        return Collections.unmodifiableMap(out);
    }

    /** a(k, j) by task name, or null. */
    public Double a(String learningTask, String evalTask) {
        int row = tasks.indexOf(learningTask);
        int column = tasks.indexOf(evalTask);
        return row < 0 || row >= learnedTasks || column < 0 ? null : accuracyMatrix.get(row).get(column);
    }
}
