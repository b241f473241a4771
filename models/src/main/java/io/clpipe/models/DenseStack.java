package io.clpipe.models;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Fully connected layers, ReLU on all but the last, over slices of a model's flat parameter and
 * gradient vectors. Owns its activation and delta buffers for {@code maxBatch} rows; a smaller
 * batch uses their first rows. Weights are [fan-in × fan-out] row-major, so the forward pass is
 * {@code X·W}, the weight gradient {@code Xᵀ·Δ} and the input delta {@code Δ·Wᵀ}: transpose flags,
 * never a transposed copy.
 */
final class DenseStack {

    private final int[] widths;
    private final FloatRegion[] weights;
    private final FloatRegion[] biases;
    private final FloatRegion[] weightGrads;
    private final FloatRegion[] biasGrads;
    /** Output of each layer after bias and ReLU; the last one holds the logits. */
    private final FloatRegion[] activations;
    /** Loss derivative with respect to each layer's pre-activation output. */
    private final FloatRegion[] deltas;
    private final float[] biasScratch;
    private final float[] rowScratch;
    private final float[] activationScratch;
    private final double[] columnSums;

    DenseStack(List<ParameterLayout.Dense> layers, FloatRegion params, FloatRegion grads, int maxBatch) {
        int n = layers.size();
        widths = new int[n + 1];
        weights = new FloatRegion[n];
        biases = new FloatRegion[n];
        weightGrads = new FloatRegion[n];
        biasGrads = new FloatRegion[n];
        activations = new FloatRegion[n];
        deltas = new FloatRegion[n];
        widths[0] = layers.get(0).weights().rows();
        for (int l = 0; l < n; l++) {
            ParameterLayout.Block w = layers.get(l).weights();
            ParameterLayout.Block b = layers.get(l).bias();
            widths[l + 1] = w.cols();
            weights[l] = params.slice(w.offset(), w.length());
            biases[l] = params.slice(b.offset(), b.length());
            weightGrads[l] = grads.slice(w.offset(), w.length());
            biasGrads[l] = grads.slice(b.offset(), b.length());
            activations[l] = FloatRegion.allocate(maxBatch, w.cols());
            deltas[l] = FloatRegion.allocate(maxBatch, w.cols());
        }
        int widest = Arrays.stream(widths).max().orElseThrow();
        biasScratch = new float[widest];
        rowScratch = new float[widest];
        activationScratch = new float[widest];
        columnSums = new double[widest];
    }

    int inputWidth() {
        return widths[0];
    }

    int outputWidth() {
        return widths[widths.length - 1];
    }

    FloatRegion logits() {
        return activations[activations.length - 1];
    }

    /** Where the loss head writes dLoss/dlogits before {@link #backward}. */
    FloatRegion outputDelta() {
        return deltas[deltas.length - 1];
    }

    void forward(FloatRegion input, int rows) {
        FloatRegion below = input;
        int last = activations.length - 1;
        for (int l = 0; l <= last; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            Blas.gemm(false, false, rows, out, in, 1f, below, in, weights[l], out, 0f, activations[l], out);
            addBias(activations[l], biases[l], rows, out, l < last);
            below = activations[l];
        }
    }

    /**
     * Fills the gradient slices from {@link #outputDelta()}; when {@code inputDelta} is given, also
     * writes dLoss/dinput there (rows × inputWidth).
     */
    void backward(FloatRegion input, int rows, FloatRegion inputDelta) {
        backward(input, rows, inputDelta, 0f, false);
    }

    /**
     * Plain SGD folded into the backward pass: each weight gemm accumulates {@code −η·Xᵀ·Δ} straight
     * into the weights (beta = 1), after the delta below it was computed from the old weights. The
     * gradient slices are not written.
     */
    void backwardSgd(FloatRegion input, int rows, FloatRegion inputDelta, float learningRate) {
        backward(input, rows, inputDelta, learningRate, true);
    }

    private void backward(FloatRegion input, int rows, FloatRegion inputDelta, float learningRate, boolean fused) {
        int last = activations.length - 1;
        for (int l = last; l >= 0; l--) {
            int in = widths[l];
            int out = widths[l + 1];
            FloatRegion delta = deltas[l];
            maskAndSumColumns(delta, l < last ? activations[l] : null, rows, out);
            FloatRegion below = l > 0 ? activations[l - 1] : input;
            FloatRegion belowDelta = l > 0 ? deltas[l - 1] : inputDelta;
            if (belowDelta != null) {
                Blas.gemm(false, true, rows, in, out, 1f, delta, out, weights[l], out, 0f, belowDelta, in);
            }
            if (fused) {
                Blas.gemm(true, false, in, out, rows, -learningRate, below, in, delta, out, 1f, weights[l], out);
                FloatBuffer bias = biases[l].floats();
                for (int c = 0; c < out; c++) {
                    bias.put(c, bias.get(c) - learningRate * (float) columnSums[c]);
                }
            } else {
                Blas.gemm(true, false, in, out, rows, 1f, below, in, delta, out, 0f, weightGrads[l], out);
                FloatBuffer biasGrad = biasGrads[l].floats();
                for (int c = 0; c < out; c++) {
                    biasGrad.put(c, (float) columnSums[c]);
                }
            }
        }
    }

    /** Row by row through a heap copy: the loop over a float[] vectorises, one over a FloatBuffer does not. */
    private void addBias(FloatRegion activation, FloatRegion bias, int rows, int cols, boolean relu) {
        FloatBuffer values = activation.floats();
        float[] b = biasScratch;
        float[] row = rowScratch;
        bias.floats().get(0, b, 0, cols);
        for (int r = 0; r < rows; r++) {
            values.get(r * cols, row, 0, cols);
            if (relu) {
                for (int c = 0; c < cols; c++) {
                    row[c] = Math.max(row[c] + b[c], 0f);
                }
            } else {
                for (int c = 0; c < cols; c++) {
                    row[c] += b[c];
                }
            }
            values.put(r * cols, row, 0, cols);
        }
    }

    /**
     * ReLU's derivative (where the activation is 0 the delta is cut) and the bias gradient, row by
     * row through heap copies like {@link #addBias}.
     */
    private void maskAndSumColumns(FloatRegion delta, FloatRegion activation, int rows, int cols) {
        FloatBuffer d = delta.floats();
        FloatBuffer a = activation == null ? null : activation.floats();
        float[] row = rowScratch;
        float[] act = activationScratch;
        double[] sums = columnSums;
        Arrays.fill(sums, 0, cols, 0.0);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            d.get(base, row, 0, cols);
            if (a != null) {
                a.get(base, act, 0, cols);
                RowOps.maskRow(row, act, cols);
                d.put(base, row, 0, cols);
            }
            for (int c = 0; c < cols; c++) {
                sums[c] += row[c];
            }
        }
    }
}
