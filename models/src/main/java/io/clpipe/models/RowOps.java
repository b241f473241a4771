package io.clpipe.models;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Row-wise operations of the Transformer on off-heap buffers, through heap copies of one row at a
 * time (a loop over a float[] vectorises, one over a FloatBuffer does not). Owns its scratch rows:
 * one instance per model, allocation-free.
 */
final class RowOps {

    static final float LAYER_NORM_EPSILON = 1e-5f;

    private final float[] row;
    private final float[] other;
    private final float[] gain;
    private final float[] bias;
    private final double[] sumA;
    private final double[] sumB;

    RowOps(int widest) {
        row = new float[widest];
        other = new float[widest];
        gain = new float[widest];
        bias = new float[widest];
        sumA = new double[widest];
        sumB = new double[widest];
    }

    /**
     * {@code delta[c] = activation[c] > 0 ? delta[c] : +0} for ReLU outputs ({@code activation ≥ +0},
     * never −0), without a branch: a ReLU layer's zeros fall at random, so a branch per value is
     * mispredicted about half the time (over 512 × 256 values: 1.37 ms with the branch, 0.35 ms
     * without, docs/benchmarks.md). The bits of a non-negative float are 0 exactly for +0, so
     * {@code −min(bits, 1)} is a mask of all zeros or all ones. Bit for bit the comparison's result
     * for every non-NaN activation (a NaN one means the loss is NaN and the step is rejected anyway).
     */
    static void maskRow(float[] delta, float[] activation, int n) {
        for (int c = 0; c < n; c++) {
            int keep = -Math.min(Float.floatToRawIntBits(activation[c]), 1);
            delta[c] = Float.intBitsToFloat(Float.floatToRawIntBits(delta[c]) & keep);
        }
    }

    /** {@code values[r] += bias}, then ReLU if asked. */
    void addBias(FloatRegion values, FloatRegion biasRegion, int rows, int cols, boolean relu) {
        FloatBuffer v = values.floats();
        biasRegion.floats().get(0, bias, 0, cols);
        for (int r = 0; r < rows; r++) {
            v.get(r * cols, row, 0, cols);
            if (relu) {
                for (int c = 0; c < cols; c++) {
                    row[c] = Math.max(row[c] + bias[c], 0f);
                }
            } else {
                for (int c = 0; c < cols; c++) {
                    row[c] += bias[c];
                }
            }
            v.put(r * cols, row, 0, cols);
        }
    }

    /** Writes the column sums of {@code delta} (a bias gradient) into {@code out}. */
    void columnSums(FloatRegion delta, int rows, int cols, FloatRegion out) {
        FloatBuffer d = delta.floats();
        Arrays.fill(sumA, 0, cols, 0.0);
        for (int r = 0; r < rows; r++) {
            d.get(r * cols, row, 0, cols);
            for (int c = 0; c < cols; c++) {
                sumA[c] += row[c];
            }
        }
        put(out, sumA, cols);
    }

    /** ReLU's derivative: zero {@code delta} where the activation {@code act} is 0. */
    void reluMask(FloatRegion delta, FloatRegion act, int rows, int cols) {
        FloatBuffer d = delta.floats();
        FloatBuffer a = act.floats();
        for (int r = 0; r < rows; r++) {
            d.get(r * cols, row, 0, cols);
            a.get(r * cols, other, 0, cols);
            maskRow(row, other, cols);
            d.put(r * cols, row, 0, cols);
        }
    }

    /** {@code y = gain·(x − mean)/√(var + ε) + bias} per row; keeps each row's mean and 1/√(var + ε). */
    void layerNorm(FloatRegion x, FloatRegion gainRegion, FloatRegion biasRegion, FloatRegion y, float[] mean, float[] rstd,
                   int rows, int d) {
        gainRegion.floats().get(0, gain, 0, d);
        biasRegion.floats().get(0, bias, 0, d);
        FloatBuffer in = x.floats();
        FloatBuffer out = y.floats();
        for (int r = 0; r < rows; r++) {
            in.get(r * d, row, 0, d);
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += row[c];
            }
            float mu = (float) (s / d);
            double v = 0;
            for (int c = 0; c < d; c++) {
                float z = row[c] - mu;
                v += z * z;
            }
            float inv = (float) (1.0 / Math.sqrt(v / d + LAYER_NORM_EPSILON));
            mean[r] = mu;
            rstd[r] = inv;
            for (int c = 0; c < d; c++) {
                row[c] = gain[c] * ((row[c] - mu) * inv) + bias[c];
            }
            out.put(r * d, row, 0, d);
        }
    }

    /**
     * Backward of {@link #layerNorm}: adds dLoss/dx to {@code dx} and writes the gain and bias
     * gradients. {@code dy} is dLoss/dy.
     */
    void layerNormBackward(FloatRegion x, FloatRegion gainRegion, float[] mean, float[] rstd, FloatRegion dy, FloatRegion dx,
                           FloatRegion gainGrad, FloatRegion biasGrad, int rows, int d) {
        gainRegion.floats().get(0, gain, 0, d);
        Arrays.fill(sumA, 0, d, 0.0);
        Arrays.fill(sumB, 0, d, 0.0);
        FloatBuffer in = x.floats();
        FloatBuffer g = dy.floats();
        FloatBuffer out = dx.floats();
        float[] xhat = row;
        float[] dxhat = other;
        for (int r = 0; r < rows; r++) {
            in.get(r * d, xhat, 0, d);
            g.get(r * d, dxhat, 0, d);
            float mu = mean[r];
            float inv = rstd[r];
            double m1 = 0;
            double m2 = 0;
            for (int c = 0; c < d; c++) {
                xhat[c] = (xhat[c] - mu) * inv;
                float dyc = dxhat[c];
                sumA[c] += dyc * xhat[c];
                sumB[c] += dyc;
                dxhat[c] = dyc * gain[c];
                m1 += dxhat[c];
                m2 += dxhat[c] * xhat[c];
            }
            float a1 = (float) (m1 / d);
            float a2 = (float) (m2 / d);
            for (int c = 0; c < d; c++) {
                dxhat[c] = inv * (dxhat[c] - a1 - xhat[c] * a2);
            }
            out.get(r * d, xhat, 0, d);
            for (int c = 0; c < d; c++) {
                xhat[c] += dxhat[c];
            }
            out.put(r * d, xhat, 0, d);
        }
        put(gainGrad, sumA, d);
        put(biasGrad, sumB, d);
    }

    /** {@code dst[0, n) = src[0, n)}. */
    static void copy(FloatRegion src, FloatRegion dst, int n) {
        dst.floats().put(0, src.floats(), 0, n);
    }

    private void put(FloatRegion out, double[] values, int n) {
        for (int c = 0; c < n; c++) {
            row[c] = (float) values[c];
        }
        out.floats().put(0, row, 0, n);
    }
}
