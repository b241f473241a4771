package io.clpipe.app.report;

import io.clpipe.evaluator.engine.TraceReader;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ScoreMatrix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code clpipe metrics} trace of a metrics history: one row {@code iteration,task,eval_task,score}
 * per task scored at each evaluated iteration (docs/metrics.md). Tasks the evaluator could not score
 * (accuracy null) are left out, as the evaluator leaves them out of its own engine, except the scores
 * it obtained late for forward transfer (docs/metrics.md, "FWT in the service"), which the last
 * record's {@code accuracy_matrix} carries: b_i goes in as a row of iteration 0, a(k, i) as a row of
 * task k's last evaluated iteration, the models those scores came from.
 */
final class TraceCsv {

    private TraceCsv() {
    }

    static String of(MetricsHistory history) {
        StringBuilder out = new StringBuilder(new TraceReader(history.direction()).header()).append('\n');
        List<IterationMetrics> records = history.records();
        ScoreMatrix late = records.get(records.size() - 1).getScoreMatrix();
        for (int k = 0; k < records.size(); k++) {
            IterationMetrics r = records.get(k);
            String task = history.learningTask(r);
            boolean endOfStint = task != null && (k + 1 == records.size() || !task.equals(history.learningTask(records.get(k + 1))));
            Map<String, Double> scores = new LinkedHashMap<>();
            r.getTasks().forEach((evalTask, m) -> scores.put(evalTask, history.score(m)));
            if (late != null && (r.getIteration() == 0 || endOfStint)) {
                List<String> columns = late.getTasks();
                int row = task == null ? -1 : columns.indexOf(task);
                for (int j = 0; j < columns.size(); j++) {
                    Double value = task == null ? late.getInitial().get(j)
                            : row >= 0 && row < late.getRows().size() ? late.getRows().get(row).get(j) : null;
                    if (value != null && scores.get(columns.get(j)) == null && (task == null || r.getTasks().containsKey(columns.get(j)))) {
                        scores.put(columns.get(j), value);
                    }
                }
            }
            scores.forEach((evalTask, score) -> {
                if (score != null) {
                    out.append(r.getIteration()).append(',')
                            .append(task == null ? "" : cell(task)).append(',')
                            .append(cell(evalTask)).append(',')
                            // Double.toString round-trips, so the engine sees the published value exactly
                            .append(score).append('\n');
                }
            });
        }
        return out.toString();
    }

    private static String cell(String name) {
        if (name.contains(",") || name.contains("\n") || name.contains("\r") || !name.equals(name.strip())) {
            throw new IllegalArgumentException("task name '" + name
                    + "' cannot go into a trace (commas, line breaks or surrounding blanks)");
        }
        return name;
    }
}
