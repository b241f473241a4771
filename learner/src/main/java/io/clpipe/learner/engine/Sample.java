package io.clpipe.learner.engine;

/**
 * One training sample as the engine stores it: a feature row, a class label and the task it came
 * from. Two compact layouts: float features (classifiers) and a byte window (byte language model,
 * one byte per context position instead of a four-byte float).
 *
 * <p>Samples are treated as immutable: callers must not modify the arrays after handing them over.
 */
public sealed interface Sample permits Sample.Dense, Sample.Bytes {

    /** Task id of samples from a task-free stream. */
    int NO_TASK = -1;

    int label();

    int task();

    /** Length of the feature row. */
    int dim();

    /** Writes the feature row as floats into {@code dst[offset .. offset + dim())}. */
    void copyFeaturesTo(float[] dst, int offset);

    static Sample dense(float[] features, int label, int task) {
        return new Dense(features, label, task);
    }

    static Sample bytes(byte[] window, int label, int task) {
        return new Bytes(window, label, task);
    }

    record Dense(float[] features, int label, int task) implements Sample {
        @Override
        public int dim() {
            return features.length;
        }

        @Override
        public void copyFeaturesTo(float[] dst, int offset) {
            System.arraycopy(features, 0, dst, offset, features.length);
        }
    }

    /** A context window of bytes; each byte becomes its unsigned value (0..255) as a float feature. */
    record Bytes(byte[] window, int label, int task) implements Sample {
        @Override
        public int dim() {
            return window.length;
        }

        @Override
        public void copyFeaturesTo(float[] dst, int offset) {
            for (int i = 0; i < window.length; i++) {
                dst[offset + i] = window[i] & 0xFF;
            }
        }
    }
}
