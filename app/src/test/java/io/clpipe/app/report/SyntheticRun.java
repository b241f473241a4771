package io.clpipe.app.report;

import io.clpipe.evaluator.engine.ContinualMetricsEngine;
import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.Evaluation;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.MetricDirection;
import io.clpipe.schemas.avro.TaskMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A run as the evaluator would publish it: {@code tasks} tasks of {@code perTask} iterations each, every
 * iteration evaluated (iteration 0 = the initial model). The learned task climbs from 0.5 towards
 * 0.98; at each boundary every old task falls to {@link #GAP_FLOOR} two iterations in, then climbs
 * back to its pre-boundary value 20 iterations after the boundary (a known stability gap), then loses
 * 0.001 per iteration (some forgetting).
 */
final class SyntheticRun {

    static final double GAP_FLOOR = 0.30;

    final List<String> taskNames;
    final int perTask;
    final List<String> lines = new ArrayList<>();
    /** The trace written by hand, row by row, as docs/metrics.md describes it. */
    final StringBuilder trace = new StringBuilder("iteration,task,eval_task,accuracy\n");
    final SortedMap<Long, Double> learningRate = new TreeMap<>();
    final SortedMap<Long, Double> trainingLoss = new TreeMap<>();
    /** Task → its score just before each boundary, by boundary iteration. */
    final Map<Long, Map<String, Double>> beforeBoundary = new LinkedHashMap<>();

    SyntheticRun(List<String> taskNames, int perTask) {
        this.taskNames = List.copyOf(taskNames);
        this.perTask = perTask;
        ContinualMetricsEngine engine = new ContinualMetricsEngine(EngineConfig.defaults(Direction.ACCURACY));
        Map<String, Double> current = new LinkedHashMap<>();
        taskNames.forEach(t -> current.put(t, 0.1));
        publish(engine, 0, null, current);
        for (int k = 0; k < taskNames.size(); k++) {
            String learning = taskNames.get(k);
            long boundary = 1L + (long) k * perTask;
            Map<String, Double> before = new LinkedHashMap<>(current);
            if (k > 0) {
                beforeBoundary.put(boundary, before);
            }
            for (int step = 0; step < perTask; step++) {
                long n = boundary + step;
                for (int j = 0; j < taskNames.size(); j++) {
                    String task = taskNames.get(j);
                    double score;
                    if (j == k) {
                        score = 0.98 - 0.48 * Math.exp(-step / 8.0);
                    } else if (j < k) {
                        score = gapCurve(before.get(task), step);
                    } else {
                        score = 0.1; // not learned yet: chance level
                    }
                    current.put(task, round(score));
                }
                publish(engine, n, learning, current);
                // re-warmed schedule: 10 warm-up steps to 0.05, cosine down to 0.005 over the task
                double lr = step < 10 ? 0.05 * (step + 1) / 10
                        : 0.005 + 0.5 * 0.045 * (1 + Math.cos(Math.PI * (step - 10) / (perTask - 10)));
                learningRate.put(n, lr);
                trainingLoss.put(n, 2.3 * Math.exp(-step / 10.0) + 0.05 + 0.3 * Math.exp(-step / 2.0));
            }
        }
    }

    private static double gapCurve(double before, int step) {
        if (step <= 2) {
            return before + (GAP_FLOOR - before) * step / 2.0;
        }
        // back at the pre-boundary value 20 iterations in, then slowly forgotten
        return step >= 20 ? before - 0.001 * (step - 20) : GAP_FLOOR + (before - GAP_FLOOR) * (step - 2) / 18.0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0; // an eval set of 1000 samples gives multiples of 0.001
    }

    private void publish(ContinualMetricsEngine engine, long n, String task, Map<String, Double> scores) {
        Map<String, Double> seen = new LinkedHashMap<>();
        Map<String, TaskMetrics> perTask = new LinkedHashMap<>();
        int learnedUpTo = task == null ? taskNames.size() : taskNames.indexOf(task) + 1;
        // the initial model is scored on every task (for FWT); later ones on the tasks seen so far
        for (int j = 0; j < learnedUpTo; j++) {
            String t = taskNames.get(j);
            seen.put(t, scores.get(t));
            perTask.put(t, new TaskMetrics(scores.get(t), 1.0 - scores.get(t), 1000L));
            trace.append(n).append(',').append(task == null ? "" : task).append(',').append(t).append(',')
                    .append(scores.get(t)).append('\n');
        }
        MetricsSnapshot snapshot = engine.record(new Evaluation(n, task, seen));
        Map<String, Double> aggregates = new LinkedHashMap<>();
        snapshot.aggregates().forEach((k, v) -> aggregates.put(k, v == null ? Double.NaN : v));
        IterationMetrics record = IterationMetrics.newBuilder()
                .setStream("digits").setIteration(n).setTask(task).setTasks(perTask).setAggregates(aggregates)
                .setDirection(MetricDirection.HIGHER_IS_BETTER).setTimestamp(1_700_000_000_000L + n).build();
        lines.add(new String(MetricsJson.write(record), StandardCharsets.UTF_8));
    }
}
