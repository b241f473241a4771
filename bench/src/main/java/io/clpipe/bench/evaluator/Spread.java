package io.clpipe.bench.evaluator;

import java.util.List;

/** Median, smallest and largest of repeated measurements (an even count averages the middle two). */
public record Spread(double median, double min, double max) {

    public static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return new Spread((sorted.get((n - 1) / 2) + sorted.get(n / 2)) / 2, sorted.get(0), sorted.get(n - 1));
    }

    /** Half the min–max range relative to the median, in percent. */
    public double halfRangePercent() {
        return median == 0 ? 0 : 100 * (max - min) / 2 / median;
    }
}
