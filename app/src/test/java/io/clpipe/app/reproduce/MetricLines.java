package io.clpipe.app.reproduce;

import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.MetricDirection;
import io.clpipe.schemas.avro.TaskMetrics;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Metric records as the evaluator publishes them (JSON), written by hand for tests. */
final class MetricLines {

    private MetricLines() {
    }

    /**
     * @param task   the learning task (ignored at iteration 0)
     * @param scores eval task → accuracy
     */
    static String line(long iteration, String task, Map<String, Double> scores) {
        Map<String, TaskMetrics> tasks = new LinkedHashMap<>();
        scores.forEach((t, acc) -> tasks.put(t, new TaskMetrics(acc, 1.0 - acc, 100L)));
        IterationMetrics record = IterationMetrics.newBuilder().setStream("mnist").setIteration(iteration)
                .setTask(iteration == 0 ? null : task).setTasks(tasks).setAggregates(Map.of())
                .setDirection(MetricDirection.HIGHER_IS_BETTER).setTimestamp(1_700_000_000_000L + iteration).build();
        return new String(MetricsJson.write(record), StandardCharsets.UTF_8);
    }

    /**
     * Two tasks, every iteration evaluated: task A learned over iterations 1..{@code perTask} (its
     * accuracy 0.9 from iteration 1), then task B over the next {@code perTask}, during which A drops
     * to {@code dip} at iteration {@code dipAt} only and is 0.9 otherwise; B is 0.8 throughout.
     */
    static List<String> twoTasksWithDip(int perTask, long dipAt, double dip) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(line(0, null, Map.of("A", 0.1, "B", 0.1)));
        for (long n = 1; n <= 2L * perTask; n++) {
            if (n <= perTask) {
                lines.add(line(n, "A", Map.of("A", 0.9)));
            } else {
                Map<String, Double> scores = new LinkedHashMap<>();
                scores.put("A", n == dipAt ? dip : 0.9);
                scores.put("B", 0.8);
                lines.add(line(n, "B", scores));
            }
        }
        return lines;
    }
}
