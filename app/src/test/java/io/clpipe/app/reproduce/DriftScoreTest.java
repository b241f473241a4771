package io.clpipe.app.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DriftScoreTest {

    private static DriftScore.Detected at(long p) {
        return new DriftScore.Detected(p, "features");
    }

    @Test
    void theFirstDetectionInsideEachTrueSegmentMatchesItsSwitchAndTheRestAreFalseAlarms() {
        DriftScore s = DriftScore.of(List.of("a", "b", "c", "d"), List.of(100L, 200L, 300L),
                List.of(at(50), at(127), at(150), at(300)));
        assertThat(s.switches()).extracting(DriftScore.Switch::task).containsExactly("b", "c", "d");
        assertThat(s.switches()).extracting(DriftScore.Switch::delay).containsExactly(27L, null, 0L);
        assertThat(s.falseAlarms()).extracting(DriftScore.Detected::position).containsExactly(50L, 150L);
        assertThat(s.missed()).isEqualTo(1);
        assertThat(s.meanDelay()).isEqualTo(13.5);
        assertThat(s.maxDelay()).isEqualTo(27L);
    }

    @Test
    void noDetectionsMeansEverySwitchMissed() {
        DriftScore s = DriftScore.of(List.of("a", "b"), List.of(10L), List.of());
        assertThat(s.missed()).isEqualTo(1);
        assertThat(s.meanDelay()).isNull();
        assertThat(s.falseAlarms()).isEmpty();
    }
}
