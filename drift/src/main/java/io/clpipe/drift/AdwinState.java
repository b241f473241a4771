package io.clpipe.drift;

import java.util.Arrays;

/**
 * Everything an {@link Adwin} remembers: the window's width, sum and variance sum (Σ(x − mean)²), the
 * check clock, and its exponential histogram. Row r holds buckets of 2^r values, oldest first; row 0
 * is the newest. {@code totals[r][i]} and {@code variances[r][i]} are bucket i's sum and variance sum.
 */
public record AdwinState(long tick, double width, double total, double variance, long detections,
                         double[][] totals, double[][] variances) {

    public static final AdwinState EMPTY = new AdwinState(0, 0, 0, 0, 0, new double[][] {new double[0]}, new double[][] {new double[0]});

    public AdwinState {
        if (totals.length != variances.length || totals.length == 0) {
            throw new IllegalArgumentException("ADWIN state needs as many variance rows as total rows, at least one");
        }
        for (int r = 0; r < totals.length; r++) {
            if (totals[r].length != variances[r].length) {
                throw new IllegalArgumentException("ADWIN state row " + r + " has " + totals[r].length + " totals but "
                        + variances[r].length + " variances");
            }
        }
    }

    /** Buckets held (the memory the window costs). */
    public int buckets() {
        int n = 0;
        for (double[] row : totals) {
            n += row.length;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdwinState s && tick == s.tick && Double.compare(width, s.width) == 0
                && Double.compare(total, s.total) == 0 && Double.compare(variance, s.variance) == 0 && detections == s.detections
                && Arrays.deepEquals(totals, s.totals) && Arrays.deepEquals(variances, s.variances);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(tick) * 31 + Double.hashCode(width) * 17 + Double.hashCode(total) + Arrays.deepHashCode(totals);
    }

    @Override
    public String toString() {
        return "AdwinState[tick=" + tick + ", width=" + width + ", mean=" + (width == 0 ? 0 : total / width) + ", buckets=" + buckets()
                + ", detections=" + detections + "]";
    }
}
