package io.clpipe.models;

import java.util.SplittableRandom;

/** Seeded random batches for tests and benchmarks of the models (published in the test-jar). */
public final class SyntheticBatches {

    private SyntheticBatches() {
    }

    /** {@code rows} samples with features uniform in [0, 1) and uniform labels. */
    public static Batch classification(int rows, int inputDim, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] features = new float[rows * inputDim];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextDouble();
        }
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = random.nextInt(classes);
        }
        return new Batch(features, labels, null, rows);
    }

    /** {@code rows} windows of {@code context} random bytes, each labelled with a random next byte. */
    public static Batch bytes(int rows, int context, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] features = new float[rows * context];
        for (int i = 0; i < features.length; i++) {
            features[i] = random.nextInt(256);
        }
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = random.nextInt(256);
        }
        return new Batch(features, labels, null, rows);
    }

    /** The same samples with per-sample loss weights drawn uniformly from [0.25, 2). */
    public static Batch withRandomWeights(Batch batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] weights = new float[batch.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (0.25 + 1.75 * random.nextDouble());
        }
        return new Batch(batch.features(), batch.labels(), weights, batch.size());
    }

    /** A batch for whichever model the spec describes. */
    public static Batch forSpec(ModelSpec spec, int rows, long seed) {
        if (spec instanceof ModelSpec.ByteLm || spec instanceof ModelSpec.ByteTransformer) {
            return bytes(rows, spec.inputDim(), seed);
        }
        return classification(rows, spec.inputDim(), spec.classes(), seed);
    }
}
