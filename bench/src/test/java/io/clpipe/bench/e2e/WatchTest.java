package io.clpipe.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The e2e benchmark's arithmetic on polled counters (readings given, no clock). */
class WatchTest {

    private static final long S = 1_000_000_000L;

    @Test
    void aRateRunsFromTheFirstReadingThatMovedToTheFirstAtTheTarget() {
        Watch w = new Watch(0);
        w.observe(1 * S, 0);
        w.observe(2 * S, 100);   // moved: its 100 happened at an unknown time before, so they are left out
        w.observe(3 * S, 600);
        w.observe(4 * S, 1100);  // first at or above 1000
        w.observe(5 * S, 1200);

        Rate rate = w.rate(1000);

        assertThat(rate.count()).isEqualTo(900);
        assertThat(rate.seconds()).isCloseTo(2.0, within(1e-9));
        assertThat(rate.perSecond()).isCloseTo(450, within(1e-9));
        assertThat(w.seconds(1000)).isCloseTo(4.0, within(1e-9));
        assertThat(w.sinceStart(1000).perSecond()).isCloseTo(250, within(1e-9));
        assertThat(w.reached(1200)).isTrue();
        assertThat(w.reached(1201)).isFalse();
    }

    @Test
    void betweenTwoCounts() {
        Watch w = new Watch(0);
        w.observe(S, 50);
        w.observe(3 * S, 500);
        w.observe(7 * S, 2500);

        Rate r = w.between(400, 2000);

        assertThat(r.count()).isEqualTo(1500);
        assertThat(r.seconds()).isCloseTo(4.0, within(1e-9));
    }

    @Test
    void aCountNeverReachedIsAnError() {
        Watch w = new Watch(0);
        w.observe(S, 10);

        assertThat(w.last()).isEqualTo(10);
        assertThatThrownBy(() -> w.rate(11)).isInstanceOf(IllegalStateException.class).hasMessageContaining("never reached 11");
    }
}
