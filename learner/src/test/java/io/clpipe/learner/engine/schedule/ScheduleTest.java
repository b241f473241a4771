package io.clpipe.learner.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Every schedule against its formula in docs/operations.md, "Learning-rate schedules", worked out by hand at chosen steps. */
class ScheduleTest {

    private static final double EPS = 1e-9;

    /** Position after {@code steps} optimizer steps of {@code batch} samples from {@code from}. */
    private static SchedulePosition after(SchedulePosition from, long steps, long batch) {
        SchedulePosition p = from;
        for (long i = 0; i < steps; i++) {
            p = p.advance(batch);
        }
        return p;
    }

    private static double rateAt(LrSchedule s, long step) {
        return s.rate(after(s.start(), step, 1));
    }

    @Test
    void cosineWarmsUpLinearlyThenFollowsTheCosine() {
        WarmupDecay s = WarmupDecay.cosine(1.0, 0.1, 20, 1000);
        // η_max·(t+1)/T_w: the very first step learns (it used to run at rate 0)
        assertThat(rateAt(s, 0)).isCloseTo(0.05, within(EPS));
        assertThat(rateAt(s, 5)).isCloseTo(0.3, within(EPS));
        assertThat(rateAt(s, 19)).isCloseTo(1.0, within(EPS));
        assertThat(rateAt(s, 20)).isCloseTo(1.0, within(EPS));
        // z = (265 - 20) / 980 = 0.25: 0.1 + 0.45 (1 + cos(pi/4))
        assertThat(rateAt(s, 265)).isCloseTo(0.1 + 0.45 * (1 + Math.sqrt(0.5)), within(EPS));
        assertThat(rateAt(s, 510)).isCloseTo(0.55, within(EPS));
        assertThat(rateAt(s, 1000)).isCloseTo(0.1, within(EPS));
        assertThat(rateAt(s, 5000)).isCloseTo(0.1, within(EPS));
    }

    @Test
    void cosineRewarmsOverOnePercentThenRedecays() {
        WarmupDecay s = WarmupDecay.cosine(1.0, 0.1, 20, 1000);
        SchedulePosition boundary = s.onBoundary(after(s.start(), 300, 1));
        assertThat(boundary.step()).isZero();
        assertThat(boundary.warmup()).isEqualTo(10);
        assertThat(boundary.restarts()).isEqualTo(1);
        // the first step after a re-warm runs at η_max/T_w, not 0 (it used to)
        assertThat(s.rate(boundary)).isCloseTo(0.1, within(EPS));
        assertThat(s.rate(after(boundary, 5, 1))).isCloseTo(0.6, within(EPS));
        assertThat(s.rate(after(boundary, 9, 1))).isCloseTo(1.0, within(EPS));
        assertThat(s.rate(after(boundary, 10, 1))).isCloseTo(1.0, within(EPS));
        // re-decay over the planned 1000 steps: z = (505 - 10) / 990 = 0.5
        assertThat(s.rate(after(boundary, 505, 1))).isCloseTo(0.55, within(EPS));
        assertThat(s.rate(after(boundary, 1000, 1))).isCloseTo(0.1, within(EPS));
    }

    @Test
    void cosineRewarmsToAConfiguredPeak() {
        WarmupDecay s = WarmupDecay.cosine(1.0, 0.1, 20, 1000).withRewarm(0.5, 50);
        SchedulePosition boundary = s.onBoundary(after(s.start(), 700, 1));
        assertThat(s.rate(after(boundary, 24, 1))).isCloseTo(0.25, within(EPS));
        assertThat(s.rate(after(boundary, 50, 1))).isCloseTo(0.5, within(EPS));
        // z = (525 - 50) / 950 = 0.5: 0.1 + ½ (0.5 - 0.1)(1 + 0)
        assertThat(s.rate(after(boundary, 525, 1))).isCloseTo(0.3, within(EPS));
    }

    @Test
    void linearDecaysToTheFloor() {
        WarmupDecay s = WarmupDecay.linear(1.0, 0.1, 20, 1000);
        assertThat(rateAt(s, 9)).isCloseTo(0.5, within(EPS));
        assertThat(rateAt(s, 265)).isCloseTo(1.0 - 0.9 * 0.25, within(EPS));
        assertThat(rateAt(s, 510)).isCloseTo(0.55, within(EPS));
        assertThat(rateAt(s, 1000)).isCloseTo(0.1, within(EPS));
        SchedulePosition boundary = s.onBoundary(after(s.start(), 2000, 1));
        assertThat(s.rate(after(boundary, 4, 1))).isCloseTo(0.5, within(EPS));
        assertThat(s.rate(after(boundary, 505, 1))).isCloseTo(0.55, within(EPS));
    }

    @Test
    void constantHoldsAfterItsWarmup() {
        Constant s = new Constant(0.02, 4, 0.05, 0);
        assertThat(rateAt(s, 0)).isCloseTo(0.005, within(EPS));
        assertThat(rateAt(s, 1)).isCloseTo(0.01, within(EPS));
        assertThat(rateAt(s, 4)).isCloseTo(0.02, within(EPS));
        assertThat(rateAt(s, 100_000)).isCloseTo(0.02, within(EPS));
        assertThat(s.rate(s.onBoundary(after(s.start(), 10, 1)))).isCloseTo(0.05, within(EPS));
        assertThat(rateAt(Constant.of(0.3), 0)).isCloseTo(0.3, within(EPS));
    }

    @Test
    void wsdIsStableThenDecaysOverTheLastTenPercent() {
        Wsd s = Wsd.of(1.0, 0.1, 20, 1000);
        assertThat(rateAt(s, 9)).isCloseTo(0.5, within(EPS));
        assertThat(rateAt(s, 500)).isCloseTo(1.0, within(EPS));
        assertThat(rateAt(s, 900)).isCloseTo(1.0, within(EPS));
        assertThat(rateAt(s, 950)).isCloseTo(0.55, within(EPS));
        assertThat(rateAt(s, 1000)).isCloseTo(0.1, within(EPS));
        SchedulePosition boundary = s.onBoundary(after(s.start(), 1000, 1));
        assertThat(s.rate(after(boundary, 400, 1))).isCloseTo(1.0, within(EPS));
        assertThat(s.rate(after(boundary, 975, 1))).isCloseTo(1.0 - 0.9 * 0.75, within(EPS));
    }

    @Test
    void rexFollowsItsFormula() {
        WarmupDecay s = WarmupDecay.rex(1.0, 0.1, 20, 1000);
        // z = 0.25: 0.1 + 0.9 * 0.75 / 0.875
        assertThat(rateAt(s, 265)).isCloseTo(0.1 + 0.9 * 0.75 / 0.875, within(EPS));
        assertThat(rateAt(s, 510)).isCloseTo(0.7, within(EPS));
        assertThat(rateAt(s, 1000)).isCloseTo(0.1, within(EPS));
        SchedulePosition boundary = s.onBoundary(after(s.start(), 600, 1));
        assertThat(s.rate(after(boundary, 505, 1))).isCloseTo(0.7, within(EPS));
    }

    @Test
    void powerIsMinOfPeakAndAPowerOfSamplesSeen() {
        Power s = Power.of(0.1, 2, -0.5, 10);
        SchedulePosition p = after(s.start(), 4, 100);
        assertThat(s.rate(p)).isCloseTo(0.05, within(EPS));
        p = after(s.start(), 10, 100);
        assertThat(s.rate(p)).isCloseTo(2 / Math.sqrt(1000), within(EPS));
        p = after(s.start(), 40, 100);
        assertThat(s.rate(p)).isCloseTo(2 / Math.sqrt(4000), within(EPS));
        Power capped = Power.of(0.1, 10, -0.5, 10);
        assertThat(capped.rate(after(capped.start(), 10, 100))).isCloseTo(0.1, within(EPS));
        assertThat(capped.rate(after(capped.start(), 100, 100))).isCloseTo(0.1, within(EPS));
        assertThat(capped.rate(after(capped.start(), 200, 100))).isCloseTo(10 / Math.sqrt(20000), within(EPS));
        SchedulePosition boundary = s.onBoundary(after(s.start(), 500, 100));
        assertThat(s.rate(after(boundary, 4, 100))).isCloseTo(0.05, within(EPS));
        assertThat(s.rate(after(boundary, 10, 100))).isCloseTo(2 / Math.sqrt(1000), within(EPS));
    }

    @Test
    void infiniteCosineCooldownHoldsConstantAcrossBoundariesAndAnnealsOnRequest() {
        Infinite s = new Infinite(1.0, 0.4, 0.04, 10, 100, Infinite.Cooldown.COSINE, 0, 50);
        assertThat(rateAt(s, 0)).isCloseTo(0.1, within(EPS));
        assertThat(rateAt(s, 4)).isCloseTo(0.5, within(EPS));
        assertThat(rateAt(s, 10)).isCloseTo(1.0, within(EPS));
        assertThat(rateAt(s, 60)).isCloseTo(0.7, within(EPS));
        assertThat(rateAt(s, 110)).isCloseTo(0.4, within(EPS));
        SchedulePosition p = after(s.start(), 500, 1);
        assertThat(s.rate(p)).isCloseTo(0.4, within(EPS));
        SchedulePosition crossed = s.onBoundary(p);
        assertThat(crossed).isEqualTo(p);
        assertThat(s.rate(after(crossed, 10, 1))).isCloseTo(0.4, within(EPS));

        SchedulePosition anneal = s.requestAnneal(p);
        assertThat(s.rate(anneal)).isCloseTo(0.4, within(EPS));
        assertThat(s.rate(after(anneal, 25, 1))).isCloseTo(0.4 * Math.pow(0.1, 0.5), within(EPS));
        assertThat(s.annealed(after(anneal, 49, 1))).isFalse();
        assertThat(s.rate(after(anneal, 50, 1))).isCloseTo(0.04, within(EPS));
        assertThat(s.annealed(after(anneal, 50, 1))).isTrue();
        assertThat(s.rate(after(anneal, 80, 1))).isCloseTo(0.04, within(EPS));
        assertThat(s.requestAnneal(after(anneal, 20, 1))).isEqualTo(after(anneal, 20, 1));
        // new data after an anneal is learnt at the constant rate again
        assertThat(s.rate(s.onBoundary(after(anneal, 80, 1)))).isCloseTo(0.4, within(EPS));
    }

    @Test
    void infiniteInverseSqrtCooldown() {
        Infinite s = new Infinite(1.0, 0.4, 0.04, 10, 100, Infinite.Cooldown.INVERSE_SQRT, 8, 50);
        assertThat(rateAt(s, 10)).isCloseTo(1.0, within(EPS));
        // x = 0.5: h = 1/sqrt(5) - 1, h(1) = 1/3 - 1
        double h = 1 / Math.sqrt(5) - 1;
        assertThat(rateAt(s, 60)).isCloseTo(1.0 + (0.4 - 1.0) * h / (-2.0 / 3), within(EPS));
        assertThat(rateAt(s, 110)).isCloseTo(0.4, within(EPS));
        assertThat(rateAt(s, 109)).isGreaterThan(0.4);
        SchedulePosition mid = after(s.start(), 60, 1);
        assertThat(s.onBoundary(mid)).isEqualTo(mid);
    }

    @Test
    void invalidParametersAreRejected() {
        assertThatThrownBy(() -> WarmupDecay.cosine(0.1, 0.2, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WarmupDecay.cosine(0.1, 0.01, 20, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Power.of(0.1, 1, 0.5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Infinite(1, 2, 0.1, 0, 0, Infinite.Cooldown.COSINE, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
