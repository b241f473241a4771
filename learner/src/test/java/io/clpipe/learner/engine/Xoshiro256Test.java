package io.clpipe.learner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Xoshiro256Test {

    @Test
    void matchesTheReferenceImplementation() {
        // first outputs of the authors' xoshiro256starstar.c from state {1, 2, 3, 4}
        Xoshiro256 rng = Xoshiro256.fromState(new long[] {1, 2, 3, 4});
        assertThat(rng.nextLong()).isEqualTo(11520L);
        assertThat(rng.nextLong()).isEqualTo(0L);
        assertThat(rng.nextLong()).isEqualTo(1509978240L);
        assertThat(rng.nextLong()).isEqualTo(1215971899390074240L);
    }

    @Test
    void resumesExactlyFromItsState() {
        Xoshiro256 a = new Xoshiro256(99);
        for (int i = 0; i < 17; i++) {
            a.nextLong();
        }
        Xoshiro256 b = Xoshiro256.fromState(a.state());
        for (int i = 0; i < 100; i++) {
            assertThat(b.nextLong()).isEqualTo(a.nextLong());
        }
        assertThat(new Xoshiro256(99).nextLong()).isEqualTo(new Xoshiro256(99).nextLong());
        assertThat(new Xoshiro256(99).nextLong()).isNotEqualTo(new Xoshiro256(100).nextLong());
        assertThatThrownBy(() -> Xoshiro256.fromState(new long[4])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void boundedDrawsAreUniform() {
        Xoshiro256 rng = new Xoshiro256(5);
        int bound = 7;
        long[] counts = new long[bound];
        int n = 70_000;
        for (int i = 0; i < n; i++) {
            counts[rng.nextInt(bound)]++;
        }
        double expected = (double) n / bound;
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        // χ², 6 degrees of freedom, p = 0.001
        assertThat(chi2).isLessThan(22.46);
        for (int i = 0; i < 1000; i++) {
            double d = rng.nextDouble();
            assertThat(d).isGreaterThanOrEqualTo(0).isLessThan(1);
        }
    }
}
