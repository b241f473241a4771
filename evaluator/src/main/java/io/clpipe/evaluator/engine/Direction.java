package io.clpipe.evaluator.engine;

import java.util.Locale;

/**
 * Which way a score is good. Every metric is computed on the score's goodness ({@link #goodness}),
 * so "drop" means an accuracy fall in {@link #ACCURACY} mode and a loss rise in {@link #LOSS} mode.
 */
public enum Direction {
    /** Accuracy-like scores: higher is better. */
    ACCURACY,
    /** Loss-like scores (validation loss of a language model): lower is better. */
    LOSS;

    /** The score mapped so that larger is always better. */
    public double goodness(double score) {
        return this == ACCURACY ? score : -score;
    }

    /** How much worse {@code to} is than {@code from}; positive means it got worse. */
    public double drop(double from, double to) {
        return goodness(from) - goodness(to);
    }

    /** How much better {@code to} is than {@code from}; positive means it got better. */
    public double gain(double from, double to) {
        return goodness(to) - goodness(from);
    }

    public double worse(double a, double b) {
        return goodness(a) <= goodness(b) ? a : b;
    }

    public double better(double a, double b) {
        return goodness(a) >= goodness(b) ? a : b;
    }

    /** For the metrics topic's {@code MetricDirection} (HIGHER_IS_BETTER / LOWER_IS_BETTER). */
    public boolean higherIsBetter() {
        return this == ACCURACY;
    }

    /** Lower-case name used on the command line and in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Direction parse(String text) {
        for (Direction d : values()) {
            if (d.label().equalsIgnoreCase(text.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown direction '" + text + "' (expected accuracy or loss)");
    }
}
