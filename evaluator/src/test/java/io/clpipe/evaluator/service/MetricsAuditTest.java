package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.evaluator.engine.ContinualMetricsEngine;
import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.avro.IterationMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsAuditTest {

    private static final EvaluatorServiceConfig CONFIG = Scenario.config(Path.of("unused")).build();
    private static final List<IterationMetrics> RECORDS =
            RecurringStream.uninterruptedRecords("s", RecurringStream.snapshots("s", 60));

    @Test
    void anUninterruptedEvaluatorsRecordsPass() {
        MetricsAudit.Result result = MetricsAudit.audit(RECORDS, CONFIG);
        assertThat(result.records()).isEqualTo(60);
        assertThat(result.inconsistent()).isZero();
        assertThat(result.firstInconsistency()).isNull();
    }

    @Test
    void aChangedAggregateIsFound() {
        List<IterationMetrics> records = copies();
        IterationMetrics v30 = records.get(30);
        v30.setAggregates(new HashMap<>(v30.getAggregates()));
        v30.getAggregates().put("acc", v30.getAggregates().get("acc") + 1e-9);

        MetricsAudit.Result result = MetricsAudit.audit(records, CONFIG);
        assertThat(result.inconsistent()).isEqualTo(1);
        assertThat(result.firstInconsistency()).startsWith("s v30 acc");
    }

    /**
     * A takeover that did not catch up on the old owner's last record: the new owner's engine lacks
     * version {@code skipped}, and whichever of its records come out different are each found.
     */
    @Test
    void recordsOfAnEngineThatMissedAnEvaluationAreFound() {
        int skipsThatChangedSomething = 0;
        for (int skipped = 20; skipped < 59; skipped++) {
            ContinualMetricsEngine skipping = new ContinualMetricsEngine(CONFIG.engineConfig(Direction.ACCURACY));
            List<IterationMetrics> published = new ArrayList<>();
            int differing = 0;
            for (IterationMetrics r : RECORDS) {
                if (r.getIteration() == skipped) {
                    published.add(r); // published by the old owner, never read by the new one
                    continue;
                }
                MetricsSnapshot m = MetricsRecords.evaluation(r).map(skipping::record).orElseThrow();
                IterationMetrics p = r;
                if (r.getIteration() > skipped) {
                    p = MetricsRecords.record("s", r.getIteration(), r.getTask(), r.getTasks(), m, Direction.ACCURACY, 0);
                    MetricsRecords.addLearnerState(p, r.getAggregates().get(MetricsRecords.LEARNING_RATE),
                            r.getAggregates().get(MetricsRecords.TRAIN_LOSS));
                }
                published.add(p);
                if (!p.getAggregates().equals(r.getAggregates())) {
                    differing++;
                }
            }
            assertThat(MetricsAudit.audit(published, CONFIG).inconsistent()).as("version %d skipped", skipped).isEqualTo(differing);
            if (differing > 0) {
                skipsThatChangedSomething++;
            }
        }
        assertThat(skipsThatChangedSomething).as("skips that changed a later record").isPositive();
    }

    private static List<IterationMetrics> copies() {
        List<IterationMetrics> out = new ArrayList<>();
        RECORDS.forEach(r -> out.add(MetricsJson.parse(MetricsJson.write(r))));
        return out;
    }
}
