package io.clpipe.harness.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortened fault-injection suite ({@code clpipe chaos --quick}): every fault on a pipeline of
 * service JVMs, then every training sample trained exactly once, every published snapshot version
 * scored once, the divergence rolled back with events on the control topic, and the final weights
 * bit-identical to an uninterrupted run.
 */
class ChaosIT {

    @TempDir
    Path work;

    @Test
    void nothingIsLostOrDoneTwiceUnderAnyFaultAndTheWeightsEqualAnUninterruptedRun() {
        List<FaultResult> results = new ChaosRunner(ChaosSettings.quick(work), System.out).run();
        System.out.println(ChaosTable.render(results));

        assertThat(results).extracting(FaultResult::fault).containsExactly(Fault.values());
        assertThat(results).allSatisfy(r -> {
            assertThat(r.injected()).as("%s injected", r.fault()).isPositive();
            assertThat(r.samplesLost()).as("%s: samples lost %s", r.fault(), r.notes()).isZero();
            assertThat(r.samplesTwice()).as("%s: samples trained twice %s", r.fault(), r.notes()).isZero();
            assertThat(r.metricsLost()).as("%s: metrics lost %s", r.fault(), r.notes()).isZero();
            assertThat(r.metricsDuplicated()).as("%s: metrics duplicated %s", r.fault(), r.notes()).isZero();
            assertThat(r.metricsOff()).as("%s: metrics unlike an uninterrupted evaluator's %s", r.fault(), r.notes()).isZero();
            assertThat(r.weightsMatch()).as("%s: streams with the uninterrupted run's weights %s", r.fault(), r.notes())
                    .isEqualTo(r.streams());
        });
        FaultResult divergence = results.stream().filter(r -> r.fault() == Fault.DIVERGENCE).findFirst().orElseThrow();
        assertThat(divergence.rollbacks()).as("ROLLBACK events on the control topic").isGreaterThanOrEqualTo(1);
        FaultResult corrupt = results.stream().filter(r -> r.fault() == Fault.CORRUPT_CHECKPOINT).findFirst().orElseThrow();
        assertThat(corrupt.notes()).as("the learner refused the corrupt generations").anyMatch(n -> n.contains("refusal"));
        FaultResult failover = results.stream().filter(r -> r.fault() == Fault.LEARNER_FAILOVER).findFirst().orElseThrow();
        assertThat(failover.notes()).as("the survivor restored the dead instance's streams").anyMatch(n -> n.contains("restore"));
        FaultResult evaluators = results.stream().filter(r -> r.fault() == Fault.EVALUATOR_FAILOVER).findFirst().orElseThrow();
        assertThat(evaluators.notes()).as("evaluators took partitions over after reading the metrics topic")
                .anyMatch(n -> n.contains("evaluator partition assignment"));
        FaultResult scorers = results.stream().filter(r -> r.fault() == Fault.SCORER_FAILOVER).findFirst().orElseThrow();
        assertThat(scorers.notes()).as("a scorer took the killed one's request partitions over")
                .anyMatch(n -> n.contains("scorer partition assignment"));
    }
}
