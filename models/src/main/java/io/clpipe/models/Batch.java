package io.clpipe.models;

/**
 * A batch of {@code size} samples in row-major layout.
 *
 * @param features {@code size * inputDim} values; for the byte language model each row holds the
 *                 context window's byte values (0..255) as floats
 * @param labels   {@code size} class indices (the next byte for the language model)
 * @param weights  per-sample loss weights, or {@code null} for all ones
 * @param size     number of rows used (arrays may be longer, e.g. reused buffers)
 */
public record Batch(float[] features, int[] labels, float[] weights, int size) {

    public Batch {
        if (size < 0 || labels.length < size) {
            throw new IllegalArgumentException("batch size " + size + " exceeds labels length " + labels.length);
        }
        if (weights != null && weights.length < size) {
            throw new IllegalArgumentException("batch size " + size + " exceeds weights length " + weights.length);
        }
    }

    public static Batch of(float[] features, int[] labels) {
        return new Batch(features, labels, null, labels.length);
    }
}
