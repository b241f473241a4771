package io.clpipe.ingest.scenario;

import java.util.Random;

/** Independent, reproducible random streams derived from the run seed and a purpose. */
final class Seeds {

    private Seeds() {
    }

    /**
     * A {@link Random} (fully specified by the JDK, so the same on every platform) for one purpose,
     * e.g. ("epoch", task 2, epoch 1). Mixing with SplitMix64's finaliser keeps nearby seeds and
     * nearby indices from giving correlated streams.
     */
    static Random random(long seed, String purpose, long... indices) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ purpose.hashCode());
        for (long i : indices) {
            h = mix(h + i);
        }
        return new Random(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Fisher–Yates shuffle in place. */
    static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }
}
