package io.clpipe.drift;

/**
 * Settings of {@link Adwin}; the first five are River's ({@code river.drift.ADWIN}) with its defaults.
 *
 * @param delta           confidence: the bound on the probability of a false cut at a check (smaller = fewer false alarms,
 *                        later detections)
 * @param clock           the window is checked for a cut every this many values (River: 32)
 * @param maxBuckets      buckets of each size kept before two are merged (River: 5); memory is O(maxBuckets · log W)
 * @param minWindowLength both sub-windows of a cut hold at least this many values (River: 5)
 * @param gracePeriod     no check before the window holds more than this many values (River: 10)
 * @param maxWidth        the window never holds more than this many values: the oldest buckets are dropped beyond it
 *                        (not in River, whose window grows without bound on a stationary stream)
 */
public record AdwinConfig(double delta, int clock, int maxBuckets, int minWindowLength, int gracePeriod, long maxWidth) {

    public AdwinConfig {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("ADWIN delta must lie in (0, 1), got " + delta);
        }
        if (clock < 1 || maxBuckets < 2 || minWindowLength < 1 || gracePeriod < 0) {
            throw new IllegalArgumentException("ADWIN needs clock >= 1, max buckets >= 2, min window length >= 1, grace period >= 0; got "
                    + clock + ", " + maxBuckets + ", " + minWindowLength + ", " + gracePeriod);
        }
        if (maxWidth < 2L * minWindowLength || maxWidth <= gracePeriod) {
            throw new IllegalArgumentException("ADWIN max width " + maxWidth + " must exceed the grace period and hold two minimal sub-windows");
        }
    }

    /** River's defaults (delta 0.002, clock 32, 5 buckets, sub-windows of 5, grace 10), the window capped at 2^16 values. */
    public static AdwinConfig defaults() {
        return new AdwinConfig(0.002, 32, 5, 5, 10, 1L << 16);
    }

    public AdwinConfig withDelta(double d) {
        return new AdwinConfig(d, clock, maxBuckets, minWindowLength, gracePeriod, maxWidth);
    }

    public AdwinConfig withGracePeriod(int g) {
        return new AdwinConfig(delta, clock, maxBuckets, minWindowLength, g, maxWidth);
    }

    public AdwinConfig withClock(int c) {
        return new AdwinConfig(delta, c, maxBuckets, minWindowLength, gracePeriod, maxWidth);
    }

    public AdwinConfig withMaxWidth(long w) {
        return new AdwinConfig(delta, clock, maxBuckets, minWindowLength, gracePeriod, w);
    }
}
