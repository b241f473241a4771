package io.clpipe.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LossMonitorTest {

    private final DriftConfig config = DriftConfig.defaults().withMinSegmentSamples(50)
            .withAdwin(AdwinConfig.defaults().withClock(4));

    /** A learning curve: the loss falls from 2.3 towards 0.3 with noise; at step 600 the data change and it jumps to 2. */
    private static double loss(int step, SplittableRandom random) {
        int since = step < 600 ? step : step - 600;
        double start = step < 600 ? 2.3 : 2.0;
        return 0.3 + (start - 0.3) * Math.exp(-since / 60.0) + random.nextGaussian() * 0.05;
    }

    @Test
    void reportsTheJumpButNotTheFallingLossOfLearning() {
        LossMonitor monitor = new LossMonitor(config, LossMonitor.State.EMPTY);
        SplittableRandom random = new SplittableRandom(1);
        List<Long> at = new ArrayList<>();
        for (int step = 0; step < 1200; step++) {
            monitor.observe(loss(step, random)).ifPresent(d -> at.add(d.position()));
        }
        assertThat(at).hasSize(1);
        assertThat(at.get(0)).isBetween(601L, 620L);
    }

    @Test
    void aRestartAtABoundaryForgetsTheWindow() {
        LossMonitor monitor = new LossMonitor(config, LossMonitor.State.EMPTY);
        SplittableRandom random = new SplittableRandom(1);
        int found = 0;
        for (int step = 0; step < 1200; step++) {
            if (step == 600) {
                monitor.restart(); // the in-band boundary came first: nothing left to detect
            }
            found += monitor.observe(loss(step, random)).isPresent() ? 1 : 0;
        }
        assertThat(found).isZero();
        assertThat(monitor.state().steps()).isEqualTo(1200);
    }
}
