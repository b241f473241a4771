package io.clpipe.evaluator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DirectionTest {

    @Test
    void accuracyDropIsAFallLossDropIsARise() {
        // accuracy 0.9 → 0.6 dropped 0.3; loss 2.0 → 2.5 "dropped" (got worse) 0.5
        assertThat(Direction.ACCURACY.drop(0.9, 0.6)).isCloseTo(0.3, within(1e-12));
        assertThat(Direction.LOSS.drop(2.0, 2.5)).isCloseTo(0.5, within(1e-12));
        assertThat(Direction.LOSS.gain(2.0, 2.5)).isCloseTo(-0.5, within(1e-12));
        assertThat(Direction.ACCURACY.worse(0.9, 0.6)).isEqualTo(0.6);
        assertThat(Direction.LOSS.worse(2.0, 2.5)).isEqualTo(2.5);
        assertThat(Direction.LOSS.better(2.0, 2.5)).isEqualTo(2.0);
        assertThat(Direction.ACCURACY.higherIsBetter()).isTrue();
        assertThat(Direction.LOSS.higherIsBetter()).isFalse();
    }

    @Test
    void parsesItsLabel() {
        assertThat(Direction.parse(" Loss ")).isEqualTo(Direction.LOSS);
        assertThat(Direction.parse(Direction.ACCURACY.label())).isEqualTo(Direction.ACCURACY);
        assertThatThrownBy(() -> Direction.parse("bits")).hasMessageContaining("accuracy or loss");
    }
}
