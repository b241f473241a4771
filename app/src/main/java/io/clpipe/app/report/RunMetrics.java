package io.clpipe.app.report;

import io.clpipe.evaluator.engine.MetricsSnapshot;
import java.util.List;

/**
 * The final metrics of one stream's metric records, computed like a run report's summary.json: the
 * records become a trace that goes through the evaluator's trace engine (window 10, every gap kept).
 *
 * @param snapshot               the engine's metrics after the last record
 * @param window                 the WF/WP window reported (10)
 * @param meanGapDepth           mean depth over the gaps with a depth; null if none
 * @param meanRecoveryIterations mean recovery over the gaps that recovered; null if none did
 * @param unrecoveredGaps        gaps with a depth that never recovered
 */
public record RunMetrics(MetricsSnapshot snapshot, int window, Double meanGapDepth, Double meanRecoveryIterations,
                         long unrecoveredGaps) {

    /**
     * @param metricsLines the JSON values of one stream's {@code clpipe.metrics} records
     * @throws IllegalArgumentException if they are empty, unparsable, of several streams or not a valid trace
     */
    public static RunMetrics of(List<String> metricsLines) {
        MetricsHistory history = MetricsHistory.parse(metricsLines);
        RunSummary summary = RunSummary.of(TraceCsv.of(history), history);
        return new RunMetrics(summary.snapshot(), summary.window(), summary.meanGapDepth(), summary.meanRecoveryIterations(),
                summary.unrecoveredGaps());
    }

    /** WF at the reported window. */
    public Double wf() {
        return snapshot.wf(window);
    }
}
