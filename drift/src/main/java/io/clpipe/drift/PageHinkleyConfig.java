package io.clpipe.drift;

/**
 * @param delta      tolerated change in the mean (magnitude below which nothing is reported)
 * @param lambda     detection threshold on the cumulative deviation
 * @param minSamples observations before any detection
 */
public record PageHinkleyConfig(double delta, double lambda, long minSamples) {

    public PageHinkleyConfig {
        if (delta < 0 || lambda <= 0 || minSamples < 1) {
            throw new IllegalArgumentException("Page-Hinkley needs delta >= 0, lambda > 0, minSamples >= 1");
        }
    }

    /** Tuned for class labels as the statistic: a shift of the label mean by ≥ ~1 class is found within ~100 samples. */
    public static PageHinkleyConfig forLabels() {
        return new PageHinkleyConfig(0.1, 50, 200);
    }
}
