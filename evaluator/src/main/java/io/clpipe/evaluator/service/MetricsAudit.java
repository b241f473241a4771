package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.ContinualMetricsEngine;
import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import io.clpipe.schemas.avro.IterationMetrics;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks one stream's published metrics records against a single uninterrupted metrics engine fed
 * the records' own per-task scores in version order: after crashes, restarts and takeovers between
 * evaluator instances, every record's aggregates must be exactly what one evaluator that never
 * stopped would have published for the same scores. Used by {@code clpipe chaos}.
 */
public final class MetricsAudit {

    private MetricsAudit() {
    }

    /** What the audit of one stream found. */
    public record Result(int records, int inconsistent, String firstInconsistency) {
    }

    /**
     * @param records the stream's records, each version once, in version order
     * @param config  the evaluators' settings (windows, LCA β, tolerance, gap history)
     */
    public static Result audit(List<IterationMetrics> records, EvaluatorServiceConfig config) {
        ContinualMetricsEngine engine = null;
        int inconsistent = 0;
        String first = null;
        for (IterationMetrics published : records) {
            Direction direction = MetricsRecords.direction(published.getDirection());
            if (engine == null) {
                engine = new ContinualMetricsEngine(config.engineConfig(direction));
            }
            MetricsRecords.adoptLateScores(published, engine); // the evaluator's late FWT scores, as it had them
            MetricsSnapshot expected = MetricsRecords.evaluation(published).map(engine::record).orElse(null);
            Map<String, Double> want = MetricsRecords.record(published.getStream(), published.getIteration(), published.getTask(),
                    published.getTasks(), expected, direction, 0).getAggregates();
            Map<String, Double> got = published.getAggregates();
            for (Map.Entry<String, Double> e : want.entrySet()) {
                if (!Objects.equals(e.getValue(), got.get(e.getKey()))) {
                    inconsistent++;
                    if (first == null) {
                        first = published.getStream() + " v" + published.getIteration() + " " + e.getKey() + ": published "
                                + got.get(e.getKey()) + ", uninterrupted engine " + e.getValue();
                    }
                    break;
                }
            }
        }
        return new Result(records.size(), inconsistent, first);
    }
}
