package io.clpipe.models;

import java.nio.FloatBuffer;

/**
 * Softmax cross-entropy over rows of logits, computed per row in double precision
 * ({@code loss = logsumexp(z) − z_label}). Holds one row of scratch; allocation-free.
 */
final class SoftmaxCrossEntropy {

    private final int classes;
    private final float[] row;
    private final double[] exps;

    SoftmaxCrossEntropy(int classes) {
        this.classes = classes;
        this.row = new float[classes];
        this.exps = new double[classes];
    }

    /**
     * Writes dLoss/dlogits of the weighted mean loss {@code Σ wᵢ·lossᵢ / Σ wᵢ} into {@code delta} and
     * returns that loss. With all weights zero the loss is 0 and the delta is zero.
     *
     * @param labels  {@code rows} class indices starting at {@code labelOffset}
     * @param weights per-row weights (same offset) or {@code null} for ones
     */
    double lossAndDelta(FloatRegion logits, int rows, int[] labels, float[] weights, int labelOffset, FloatRegion delta) {
        double totalWeight = 0;
        for (int r = 0; r < rows; r++) {
            totalWeight += weights == null ? 1.0 : weights[labelOffset + r];
        }
        FloatBuffer z = logits.floats();
        FloatBuffer d = delta.floats();
        double lossSum = 0;
        for (int r = 0; r < rows; r++) {
            double w = weights == null ? 1.0 : weights[labelOffset + r];
            int label = labels[labelOffset + r];
            z.get(r * classes, row, 0, classes);
            double max = max(row);
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                exps[c] = Math.exp(row[c] - max);
                sum += exps[c];
            }
            double scale = totalWeight == 0 ? 0 : w / totalWeight;
            lossSum += w == 0 ? 0 : w * (max + Math.log(sum) - row[label]);
            int base = r * classes;
            for (int c = 0; c < classes; c++) {
                double p = exps[c] / sum;
                d.put(base + c, (float) (scale * (c == label ? p - 1 : p)));
            }
        }
        return totalWeight == 0 ? 0 : lossSum / totalWeight;
    }

    /** Unweighted loss sum and arg-max hits (ties go to the lower class index). */
    EvalResult score(FloatRegion logits, int rows, int[] labels, int labelOffset) {
        FloatBuffer z = logits.floats();
        double lossSum = 0;
        long correct = 0;
        for (int r = 0; r < rows; r++) {
            int label = labels[labelOffset + r];
            z.get(r * classes, row, 0, classes);
            lossSum += logSumExp(row) - row[label];
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (row[c] > row[best]) {
                    best = c;
                }
            }
            if (best == label) {
                correct++;
            }
        }
        return new EvalResult(lossSum, correct, rows);
    }

    /** Softmax of each row (double precision, stored as float) into {@code out} from {@code outOffset}. */
    void softmax(FloatRegion logits, int rows, float[] out, int outOffset) {
        FloatBuffer z = logits.floats();
        for (int r = 0; r < rows; r++) {
            z.get(r * classes, row, 0, classes);
            double max = max(row);
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                exps[c] = Math.exp(row[c] - max);
                sum += exps[c];
            }
            int base = outOffset + r * classes;
            for (int c = 0; c < classes; c++) {
                out[base + c] = (float) (exps[c] / sum);
            }
        }
    }

    /** Per row: the arg-max class (ties to the lower index, as {@link #score}) and the label's loss. */
    void rows(FloatRegion logits, int rows, int[] labels, int[] predicted, double[] loss) {
        // Through the native pointer, not the NIO view: this runs inside every training step and must not allocate.
        org.bytedeco.javacpp.FloatPointer z = logits.pointer();
        long start = z.position();
        for (int r = 0; r < rows; r++) {
            z.position(start + (long) r * classes).get(row, 0, classes);
            loss[r] = logSumExp(row) - row[labels[r]];
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (row[c] > row[best]) {
                    best = c;
                }
            }
            predicted[r] = best;
        }
        z.position(start);
    }

    private static double max(float[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static double logSumExp(float[] values) {
        double max = max(values);
        if (Double.isInfinite(max) || Double.isNaN(max)) {
            return max;
        }
        double sum = 0;
        for (float v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
