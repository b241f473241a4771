package io.clpipe.drift;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A few scalar views of a sample's input that move under covariate shift, for ADWIN to watch.
 *
 * <p>Features: statistic j is Σ_i r_ji·x_i / ‖x‖ with fixed pseudo-random signs r_ji ∈ {−1, +1} drawn
 * from (seed, j, i): a projection of the unit-normalised vector on a random direction, scaled so that
 * it has about unit spread. The mean of a single feature, or of all pixels, does not move when pixels
 * are permuted; a random projection does, because it weighs each position differently, and k of
 * them make a change that happens to be orthogonal to one direction unlikely to be missed. The
 * normalisation makes it blind to a pure rescaling of the inputs, and keeps any data set on one scale.
 *
 * <p>Text: the same projections of its byte histogram over 32 bins (byte value / 8), which moves when
 * the language, the script or the kind of document changes.
 */
public final class FeatureStatistic {

    private static final int TEXT_BINS = 32;

    private final int projections;
    private final long seed;

    public FeatureStatistic(int projections, long seed) {
        if (projections < 1) {
            throw new IllegalArgumentException("at least one feature projection, got " + projections);
        }
        this.projections = projections;
        this.seed = seed;
    }

    public int projections() {
        return projections;
    }

    /** The k statistics of a feature vector (all 0 for a zero vector). */
    public double[] ofFeatures(List<Float> features) {
        double norm = 0;
        for (Float f : features) {
            norm += (double) f * f;
        }
        double[] out = new double[projections];
        if (norm == 0) {
            return out;
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < projections; j++) {
            double s = 0;
            for (int i = 0; i < features.size(); i++) {
                s += sign(j, i) * features.get(i);
            }
            out[j] = s / norm;
        }
        return out;
    }

    /** The k statistics of a text's byte histogram. */
    public double[] ofText(String text) {
        double[] histogram = new double[TEXT_BINS];
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            histogram[(b & 0xFF) >>> 3]++;
        }
        double norm = 0;
        for (double h : histogram) {
            norm += h * h;
        }
        double[] out = new double[projections];
        if (norm == 0) {
            return out;
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < projections; j++) {
            double s = 0;
            for (int i = 0; i < TEXT_BINS; i++) {
                s += sign(j, i) * histogram[i];
            }
            out[j] = s / norm;
        }
        return out;
    }

    private int sign(int projection, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (projection + 1) + 0xC2B2AE3D27D4EB4FL * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L; // SplitMix64's finaliser
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z & 1) == 0 ? -1 : 1;
    }
}
