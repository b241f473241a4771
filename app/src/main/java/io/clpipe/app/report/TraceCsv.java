package io.clpipe.app.report;

import io.clpipe.evaluator.engine.TraceReader;
import io.clpipe.schemas.avro.IterationMetrics;

/**
 * The {@code clpipe metrics} trace of a metrics history: one row {@code iteration,task,eval_task,score}
 * per task scored at each evaluated iteration (docs/metrics.md). Tasks the evaluator could not score
 * (accuracy null) are left out, as the evaluator leaves them out of its own engine.
 */
final class TraceCsv {

    private TraceCsv() {
    }

    static String of(MetricsHistory history) {
        StringBuilder out = new StringBuilder(new TraceReader(history.direction()).header()).append('\n');
        for (IterationMetrics r : history.records()) {
            String task = history.learningTask(r);
            r.getTasks().forEach((evalTask, m) -> {
                Double score = history.score(m);
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
