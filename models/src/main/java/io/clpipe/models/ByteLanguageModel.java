package io.clpipe.models;

import java.util.Arrays;

/**
 * Byte-level language model: the previous {@code context} bytes are looked up in a 256×E embedding
 * table (part of the flat parameters), concatenated, and fed to an MLP (ReLU) whose softmax over
 * 256 values predicts the next byte. Backward scatter-adds the window's input delta into the
 * embedding rows that were used. The table is staged through heap arrays each step (256·E floats),
 * which keeps the lookups in plain Java and allocation-free.
 */
public final class ByteLanguageModel extends DenseModel {

    private final ModelSpec.ByteLm spec;
    private final ParameterLayout.Block embedding;
    private final FloatRegion input;
    private final FloatRegion inputDelta;
    private final float[] table;
    private final double[] tableGrad;
    private final float[] tableGradOut;
    private final float[] window;

    ByteLanguageModel(ModelSpec.ByteLm spec, long seed) {
        super(spec, seed);
        this.spec = spec;
        this.embedding = flat.layout().block("embedding");
        int width = spec.context() * spec.embedDim();
        this.input = FloatRegion.allocate(spec.maxBatch(), width);
        this.inputDelta = FloatRegion.allocate(spec.maxBatch(), width);
        this.table = new float[embedding.length()];
        this.tableGrad = new double[embedding.length()];
        this.tableGradOut = new float[embedding.length()];
        this.window = new float[width];
    }

    @Override
    public ModelSpec.ByteLm spec() {
        return spec;
    }

    @Override
    void check(Batch batch, int from, int rows) {
        BatchChecks.check(batch, from, rows, spec.context(), spec.classes());
        float[] features = batch.features();
        for (int i = from * spec.context(); i < (from + rows) * spec.context(); i++) {
            float v = features[i];
            if (!(v >= 0f && v <= 255f) || v != Math.rint(v)) {
                throw new IllegalArgumentException("context value " + v + " at index " + i + " is not a byte 0..255");
            }
        }
    }

    @Override
    FloatRegion loadInput(Batch batch, int from, int rows) {
        int e = spec.embedDim();
        int ctx = spec.context();
        flat.parameterRegion().floats().get(embedding.offset(), table);
        float[] features = batch.features();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < ctx; j++) {
                int value = (int) features[(from + r) * ctx + j];
                System.arraycopy(table, value * e, window, j * e, e);
            }
            input.floats().put(r * window.length, window);
        }
        return input;
    }

    @Override
    FloatRegion inputDelta() {
        return inputDelta;
    }

    @Override
    void backwardInput(Batch batch, boolean fused, float learningRate) {
        scatterEmbeddingGradient(batch);
        if (fused) {
            for (int i = 0; i < table.length; i++) {
                table[i] -= learningRate * (float) tableGrad[i];
            }
            flat.parameterRegion().floats().put(embedding.offset(), table);
        } else {
            for (int i = 0; i < tableGrad.length; i++) {
                tableGradOut[i] = (float) tableGrad[i];
            }
            flat.gradientRegion().floats().put(embedding.offset(), tableGradOut);
        }
    }

    /** tableGrad ← for every row and window position, the input delta added into that byte's row. */
    private void scatterEmbeddingGradient(Batch batch) {
        int e = spec.embedDim();
        int ctx = spec.context();
        Arrays.fill(tableGrad, 0.0);
        float[] features = batch.features();
        for (int r = 0; r < batch.size(); r++) {
            inputDelta.floats().get(r * window.length, window);
            for (int j = 0; j < ctx; j++) {
                int row = (int) features[r * ctx + j] * e;
                for (int k = 0; k < e; k++) {
                    tableGrad[row + k] += window[j * e + k];
                }
            }
        }
    }
}
