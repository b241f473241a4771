package io.clpipe.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {

    @Test
    void staysQuietOnAStationaryStream() {
        PageHinkley test = new PageHinkley(PageHinkleyConfig.forLabels());
        SplittableRandom random = new SplittableRandom(7);
        int detections = 0;
        for (int i = 0; i < 20_000; i++) {
            if (test.add(random.nextInt(2))) { // labels 0/1, as in Split-MNIST's first task
                detections++;
            }
        }
        assertThat(detections).isZero();
    }

    @Test
    void detectsALabelShiftSoonAfterItHappens() {
        PageHinkley test = new PageHinkley(PageHinkleyConfig.forLabels());
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            assertThat(test.add(random.nextInt(2))).isFalse();
        }
        int delay = -1;
        for (int i = 0; i < 5_000 && delay < 0; i++) {
            if (test.add(2 + random.nextInt(2))) { // labels 2/3: the second task
                delay = i;
            }
        }
        assertThat(delay).isBetween(0, 200);
        assertThat(test.state()).isEqualTo(PageHinkleyState.EMPTY);
    }

    @Test
    void detectsADecreaseToo() {
        PageHinkley test = new PageHinkley(new PageHinkleyConfig(0.05, 20, 50));
        for (int i = 0; i < 1000; i++) {
            test.add(5.0);
        }
        boolean found = false;
        for (int i = 0; i < 200 && !found; i++) {
            found = test.add(1.0);
        }
        assertThat(found).isTrue();
    }
}
