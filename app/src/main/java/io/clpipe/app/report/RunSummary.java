package io.clpipe.app.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.MetricsJson;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import io.clpipe.evaluator.engine.StabilityGap;
import io.clpipe.evaluator.engine.TraceFormatException;
import io.clpipe.evaluator.engine.TraceMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The run's final metrics, computed exactly as {@code clpipe metrics --trace} computes them (same engine
 * settings: window 10, tolerance 0.01, every gap kept), so summary.json and that command agree.
 */
record RunSummary(MetricsSnapshot snapshot, int window) {

    static final int WINDOW = 10;

    static RunSummary of(String traceCsv, MetricsHistory history) {
        EngineConfig config = EngineConfig.defaults(history.direction())
                .withWindows(List.of(WINDOW))
                .withGapHistory(Integer.MAX_VALUE);
        try {
            return new RunSummary(new TraceMetrics(config).replay(new BufferedReader(new StringReader(traceCsv))), WINDOW);
        } catch (TraceFormatException e) {
            throw new IllegalArgumentException("the metrics records do not form a valid trace: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code clpipe metrics} JSON object plus {@code "run"}: the settings. */
    ObjectNode json(ObjectMapper mapper, RunSettings settings) {
        ObjectNode out = new MetricsJson(mapper).report(snapshot, window);
        ObjectNode run = out.putObject("run");
        settings.asMap().forEach(run::put);
        return out;
    }

    /** Mean depth over gaps with a depth; null if none. */
    Double meanGapDepth() {
        return mean(snapshot.gaps().stream().map(StabilityGap::depth).filter(Objects::nonNull).map(Double::valueOf).toList());
    }

    /** Mean recovery over gaps that recovered; null if none did. */
    Double meanRecoveryIterations() {
        return mean(snapshot.gaps().stream().map(StabilityGap::recoveryIterations).filter(Objects::nonNull)
                .map(Long::doubleValue).toList());
    }

    long unrecoveredGaps() {
        return snapshot.gaps().stream().filter(g -> g.depth() != null && g.recoveryIterations() == null).count();
    }

    private static Double mean(List<Double> values) {
        return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
