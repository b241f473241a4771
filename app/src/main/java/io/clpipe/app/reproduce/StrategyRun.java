package io.clpipe.app.reproduce;

import io.clpipe.app.demo.DemoStrategy;
import io.clpipe.app.report.RunMetrics;
import java.nio.file.Path;
import java.util.List;

/**
 * One finished strategy run of a reproduction.
 *
 * @param strategy     what the learner did
 * @param metricsLines every metrics record the evaluator published (JSON, one per evaluated iteration)
 * @param metrics      the final metrics, from the records through the evaluator's trace engine
 * @param iterations   learner iterations
 * @param seconds      wall time of the pipeline run
 * @param reportDir    where the run's own report (summary.json, report.html, plots) went
 */
record StrategyRun(DemoStrategy strategy, List<String> metricsLines, RunMetrics metrics, long iterations, double seconds,
                   Path reportDir) {

    StrategyRun {
        metricsLines = List.copyOf(metricsLines);
    }
}
