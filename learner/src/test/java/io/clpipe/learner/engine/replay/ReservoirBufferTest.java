package io.clpipe.learner.engine.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.engine.Xoshiro256;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReservoirBufferTest {

    /** χ² critical value for 999 degrees of freedom at p = 0.001 (≈ 1143.9). */
    private static final double CHI2_999_P001 = 1143.9;

    private static Sample item(int i) {
        return Sample.dense(new float[] {i}, i % 10, 0);
    }

    /** Runs {@code trials} streams of {@code n} items through a reservoir; counts how often each item is kept. */
    static long[] inclusionCounts(int n, int capacity, int trials, long seed, boolean keepLatest) {
        Xoshiro256 rng = new Xoshiro256(seed);
        long[] counts = new long[n];
        Sample[] items = new Sample[n];
        for (int i = 0; i < n; i++) {
            items[i] = item(i);
        }
        for (int t = 0; t < trials; t++) {
            ReplayBuffer buffer = keepLatest ? new LatestOnly(capacity) : new ReservoirBuffer(capacity);
            for (Sample s : items) {
                buffer.add(s, rng);
            }
            for (int i = 0; i < buffer.size(); i++) {
                counts[(int) ((Sample.Dense) buffer.get(i)).features()[0]]++;
            }
        }
        return counts;
    }

    static double chiSquare(long[] counts, double expected) {
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        return chi2;
    }

    @Test
    void keepsAUniformSampleOfTheStream() {
        int n = 1000;
        int capacity = 100;
        int trials = 3000;
        long[] counts = inclusionCounts(n, capacity, trials, 20240601L, false);
        double expected = (double) trials * capacity / n;
        assertThat(chiSquare(counts, expected)).isLessThan(CHI2_999_P001);
        // early, middle and late thirds of the stream are kept equally often
        long early = 0;
        long late = 0;
        for (int i = 0; i < n / 3; i++) {
            early += counts[i];
            late += counts[n - 1 - i];
        }
        assertThat(Math.abs(early - late)).isLessThan((long) (0.05 * early));
    }

    @Test
    void theChiSquareTestRejectsABiasedBuffer() {
        // a buffer that keeps a recency-biased sample fails the same test
        long[] counts = inclusionCounts(1000, 100, 3000, 20240601L, true);
        assertThat(chiSquare(counts, 300.0)).isGreaterThan(CHI2_999_P001);
    }

    @Test
    void staysWithinCapacityAndRestoresItsState() {
        ReservoirBuffer buffer = new ReservoirBuffer(50);
        Xoshiro256 rng = new Xoshiro256(1);
        for (int i = 0; i < 30; i++) {
            buffer.add(item(i), rng);
        }
        assertThat(buffer.size()).isEqualTo(30);
        for (int i = 30; i < 500; i++) {
            buffer.add(item(i), rng);
        }
        assertThat(buffer.size()).isEqualTo(50);
        assertThat(buffer.seen()).isEqualTo(500);

        ReservoirBuffer copy = new ReservoirBuffer(50);
        copy.restore(buffer.state());
        Xoshiro256 a = Xoshiro256.fromState(rng.state());
        Xoshiro256 b = Xoshiro256.fromState(rng.state());
        for (int i = 500; i < 700; i++) {
            Sample s = item(i);
            buffer.add(s, a);
            copy.add(s, b);
        }
        assertThat(copy.state()).isEqualTo(buffer.state());
        assertThatThrownBy(() -> new ReservoirBuffer(49).restore(buffer.state()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A deliberately wrong policy: replaces a random slot with probability 1/2, so recent items dominate. */
    private static final class LatestOnly implements ReplayBuffer {
        private final int capacity;
        private final List<Sample> samples = new ArrayList<>();

        LatestOnly(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public int size() {
            return samples.size();
        }

        @Override
        public Sample get(int i) {
            return samples.get(i);
        }

        @Override
        public void add(Sample sample, Xoshiro256 rng) {
            if (samples.size() < capacity) {
                samples.add(sample);
            } else if (rng.nextInt(2) == 0) {
                samples.set(rng.nextInt(capacity), sample);
            }
        }

        @Override
        public ReplayState state() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void restore(ReplayState state) {
            throw new UnsupportedOperationException();
        }
    }
}
