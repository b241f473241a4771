package io.clpipe.learner.engine;

import java.util.Arrays;

/**
 * xoshiro256** (Blackman and Vigna) with its whole state exposed, so a checkpoint can store and
 * restore it exactly; {@link java.util.Random} and {@link java.util.SplittableRandom} hide theirs.
 */
public final class Xoshiro256 {

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    /** Seeds the four state words from {@code seed} through SplitMix64, as the authors recommend. */
    public Xoshiro256(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    /** Resumes from a state returned by {@link #state()}. */
    public static Xoshiro256 fromState(long[] state) {
        if (state.length != 4 || Arrays.stream(state).allMatch(w -> w == 0)) {
            throw new IllegalArgumentException("xoshiro256 state must be 4 words, not all zero");
        }
        Xoshiro256 r = new Xoshiro256(0);
        r.s0 = state[0];
        r.s1 = state[1];
        r.s2 = state[2];
        r.s3 = state[3];
        return r;
    }

    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, bound), without modulo bias (rejection on the top of the range). */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        long limit = Long.MAX_VALUE - Long.remainderUnsigned(Long.MAX_VALUE, bound) - 1;
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r > limit);
        return r % bound;
    }

    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
