package io.clpipe.app.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clpipe chaos --quick --faults SCORER_FAILOVER}: the evaluator runs with scoring=spread and two scorer JVMs
 * score the versions of each stream in parallel; one scorer is SIGKILLed mid-stream (and restarted, then the other
 * killed). Every published snapshot version is scored once, the metrics equal an uninterrupted evaluator's, nothing
 * is trained twice and the weights equal an uninterrupted run's.
 */
class SpreadChaosIT {

    @TempDir
    Path work;

    @Test
    void killingOneOfTwoScorersLosesAndRepeatsNothing() {
        List<FaultResult> results = new ChaosRunner(ChaosSettings.quick(work).withFaults(List.of(Fault.SCORER_FAILOVER)), System.out)
                .run();
        System.out.println(ChaosTable.render(results));

        FaultResult r = results.get(0);
        assertThat(r.fault()).isEqualTo(Fault.SCORER_FAILOVER);
        assertThat(r.injected()).as("scorers killed").isPositive();
        assertThat(r.samplesLost()).as("samples lost %s", r.notes()).isZero();
        assertThat(r.samplesTwice()).as("samples trained twice %s", r.notes()).isZero();
        assertThat(r.metricsLost()).as("metrics lost %s", r.notes()).isZero();
        assertThat(r.metricsDuplicated()).as("metrics duplicated %s", r.notes()).isZero();
        assertThat(r.metricsOff()).as("metrics unlike an uninterrupted evaluator's %s", r.notes()).isZero();
        assertThat(r.weightsMatch()).as("streams with the uninterrupted run's weights %s", r.notes()).isEqualTo(r.streams());
        assertThat(r.notes()).as("the scorers took request partitions over").anyMatch(n -> n.contains("scorer partition assignment"));
    }
}
