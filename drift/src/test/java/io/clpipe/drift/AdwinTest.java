package io.clpipe.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class AdwinTest {

    private static final AdwinConfig RIVER = new AdwinConfig(0.002, 32, 5, 5, 10, Long.MAX_VALUE / 4);

    /**
     * 1000 zeros then ones. Checks run at updates 32, 64, … (clock 32). At update 1024 (index 1023)
     * the window holds 1000 zeros and 24 ones: Var(W) = 1000·24/1024² ≈ 0.0229, δ' = ln(2 ln 1024 / 0.002)
     * ≈ 8.84; the cut leaving the newest 16 values (all ones) in W1 has |Δmean| ≈ 0.99 against
     * ε = sqrt(2·0.0843·0.0229·8.84) + (2/3)·8.84·0.0843 ≈ 0.68, so River reports the change there; the
     * check at update 992 saw only zeros (zero variance, no difference), so not earlier.
     */
    @Test
    void findsAnAbruptSwitchAtTheFirstCheckAfterIt() {
        assertThat(detections(switchAt(1000, 3000), RIVER)).first().isEqualTo(1023);
    }

    /**
     * Switch at index 1020: at update 1024 only 4 ones are in W — fewer than the minimal sub-window of 5,
     * and any W1 of ≥ 5 values mixes them with zeros (best cut: 4 of 12 ones, |Δmean| ≈ 0.33 against ε ≈ 0.84),
     * so no cut; at update 1056, 36 ones: reported at index 1055.
     */
    @Test
    void needsAFullSubWindowOfNewValuesBeforeReporting() {
        assertThat(detections(switchAt(1020, 3000), RIVER)).first().isEqualTo(1055);
    }

    /** No cut before the grace period nor between clock ticks: detections only ever land on multiples of the clock. */
    @Test
    void reportsOnlyOnClockTicks() {
        AdwinConfig config = RIVER.withClock(8);
        assertThat(detections(switchAt(300, 1000), config)).isNotEmpty().allSatisfy(i -> assertThat((i + 1) % 8).isZero());
    }

    @Test
    void hasFewFalseAlarmsOnAStationaryBernoulliStream() {
        SplittableRandom random = new SplittableRandom(42);
        Adwin adwin = new Adwin(AdwinConfig.defaults());
        int alarms = 0;
        for (int i = 0; i < 100_000; i++) {
            if (adwin.update(random.nextDouble() < 0.5 ? 1 : 0)) {
                alarms++;
            }
        }
        // delta 0.002 bounds the false-cut probability per check; 3125 checks on 100k values (measured: 0, and 0 for seeds 1-4)
        assertThat(alarms).isLessThanOrEqualTo(3);
        assertThat(adwin.mean()).isBetween(0.45, 0.55);
    }

    @Test
    void findsABernoulliMeanShiftWithinABoundedDelay() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 20; trial++) {
            Adwin adwin = new Adwin(AdwinConfig.defaults());
            for (int i = 0; i < 5_000; i++) {
                adwin.update(random.nextDouble() < 0.2 ? 1 : 0);
            }
            int delay = -1;
            for (int i = 0; i < 5_000 && delay < 0; i++) {
                if (adwin.update(random.nextDouble() < 0.8 ? 1 : 0)) {
                    delay = i;
                }
            }
            // 0.2 -> 0.8: a few dozen new values suffice; the clock adds at most 31 (measured: 23 or 55, the first or second check)
            assertThat(delay).as("trial %d", trial).isBetween(5, 160);
        }
    }

    @Test
    void memoryStaysLogarithmicAndTheWindowCapped() {
        AdwinConfig config = AdwinConfig.defaults().withMaxWidth(10_000);
        Adwin adwin = new Adwin(config);
        SplittableRandom random = new SplittableRandom(1);
        int maxBuckets = 0;
        for (int i = 0; i < 200_000; i++) {
            adwin.update(random.nextDouble());
            maxBuckets = Math.max(maxBuckets, adwin.state().buckets());
            assertThat(adwin.width()).isLessThanOrEqualTo(10_000);
        }
        // at most maxBuckets + 1 per row, rows ≤ log2(W) + 1
        assertThat(maxBuckets).isLessThanOrEqualTo(6 * (1 + (int) Math.ceil(Math.log(10_000) / Math.log(2))));
        assertThat(adwin.width()).isGreaterThan(9_000);
    }

    @Property(tries = 40)
    void aRestoredDetectorContinuesExactlyAsTheOriginal(@ForAll @LongRange(min = 0, max = 1000) long seed,
                                                        @ForAll @IntRange(min = 0, max = 3000) int splitAt) throws IOException {
        double[] values = new double[3000];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < values.length; i++) {
            values[i] = (i < 1500 ? 0.3 : 0.6) + random.nextDouble() * 0.4;
        }
        AdwinConfig config = RIVER.withClock(4);
        Adwin original = new Adwin(config);
        List<Boolean> expected = new ArrayList<>();
        for (double v : values) {
            expected.add(original.update(v));
        }
        Adwin first = new Adwin(config);
        List<Boolean> actual = new ArrayList<>();
        for (int i = 0; i < splitAt; i++) {
            actual.add(first.update(values[i]));
        }
        Adwin resumed = new Adwin(config, roundTrip(first.state()));
        for (int i = splitAt; i < values.length; i++) {
            actual.add(resumed.update(values[i]));
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(resumed.state()).isEqualTo(original.state());
    }

    @Property(tries = 30)
    void windowStatisticsMatchTheValuesItHolds(@ForAll @LongRange(min = 0, max = 1000) long seed) {
        // with a huge clock nothing is ever cut, so the window is the whole stream
        Adwin adwin = new Adwin(new AdwinConfig(0.002, Integer.MAX_VALUE, 5, 5, 10, Long.MAX_VALUE / 4));
        SplittableRandom random = new SplittableRandom(seed);
        int n = 1 + random.nextInt(2000);
        double sum = 0;
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = random.nextDouble() * 3;
            sum += xs[i];
            adwin.update(xs[i]);
        }
        double mean = sum / n;
        double ss = 0;
        for (double x : xs) {
            ss += (x - mean) * (x - mean);
        }
        AdwinState s = adwin.state();
        assertThat(s.width()).isEqualTo(n);
        assertThat(s.total()).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-6 * n));
        assertThat(s.variance()).isCloseTo(ss, org.assertj.core.data.Offset.offset(1e-6 * n));
        double bucketSum = 0;
        for (int r = 0; r < s.totals().length; r++) {
            assertThat(s.totals()[r].length).isLessThanOrEqualTo(5);
            for (double t : s.totals()[r]) {
                bucketSum += t;
            }
        }
        assertThat(bucketSum).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-6 * n));
    }

    private static AdwinState roundTrip(AdwinState s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DriftStateCodec.write(new DataOutputStream(bytes), s);
        return DriftStateCodec.readAdwin(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    private static double[] switchAt(int at, int n) {
        double[] xs = new double[n];
        for (int i = at; i < n; i++) {
            xs[i] = 1;
        }
        return xs;
    }

    private static List<Integer> detections(double[] xs, AdwinConfig config) {
        Adwin adwin = new Adwin(config);
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            if (adwin.update(xs[i])) {
                at.add(i);
            }
        }
        return at;
    }
}
