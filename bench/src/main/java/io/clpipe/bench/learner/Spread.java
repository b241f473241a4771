package io.clpipe.bench.learner;

import java.util.List;

/** Median, minimum and maximum of repeated measurements (an even count averages the middle two). */
public record Spread(double median, double min, double max) {

    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return new Spread((sorted.get((n - 1) / 2) + sorted.get(n / 2)) / 2, sorted.get(0), sorted.get(n - 1));
    }
}
