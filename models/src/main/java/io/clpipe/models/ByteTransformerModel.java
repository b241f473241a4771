package io.clpipe.models;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A small causal pre-norm Transformer byte LM ({@link ModelSpec.ByteTransformer}), hand-written on
 * ND4J buffers: flat float32 parameters and gradients like the other models, sgemm straight into
 * OpenBLAS, row-wise work in Java, every activation preallocated (docs/benchmarks.md has the
 * choice against SameDiff).
 *
 * <p>A sample is a window of {@code context} bytes and the byte after it. Training predicts every
 * position: position t's target is byte t + 1 of the window, the last position's is the label; the
 * zero bytes that pad a window at the start of a text are not targets (the last padding position,
 * which predicts the text's first byte, is). A sample's loss is the mean over its targets.
 * {@link #evaluate} scores the label only (the next byte after a full window), the same quantity
 * the byte-lm's evaluation measures.
 */
final class ByteTransformerModel implements Model {

    private static final int VOCAB = 256;

    private final ModelSpec.ByteTransformer spec;
    private final FlatParameters flat;
    private final int context;
    private final int d;
    private final RowOps ops;
    private final TransformerBlock[] blocks;
    private final TransformerBlock.Scratch scratch;
    private final SoftmaxCrossEntropy head;

    private final ParameterLayout.Block embedding;
    private final ParameterLayout.Block position;
    private final FloatRegion finalGain;
    private final FloatRegion finalBias;
    private final FloatRegion headW;
    private final FloatRegion headB;
    private final FloatRegion finalGainGrad;
    private final FloatRegion finalBiasGrad;
    private final FloatRegion headWGrad;
    private final FloatRegion headBGrad;

    /** Residual stream: [0] the embeddings, [l + 1] the output of block l. */
    private final FloatRegion[] stream;
    private final FloatRegion normed;
    private final float[] finalMean;
    private final float[] finalRstd;
    private final FloatRegion logits;
    private final FloatRegion logitsDelta;
    private final FloatRegion delta;
    private final FloatRegion lastNormed;
    private final FloatRegion lastLogits;
    private final int[] targets;
    private final float[] positionWeights;
    private final float[] embeddingTable;
    private final float[] positionTable;
    private final double[] embeddingGrad;
    private final double[] positionGrad;
    private final float[] row;
    private final float[] gradOut;

    ByteTransformerModel(ModelSpec.ByteTransformer spec, long seed) {
        this.spec = spec;
        this.flat = new FlatParameters(ParameterLayout.of(spec));
        this.context = spec.context();
        this.d = spec.width();
        ParameterLayout layout = flat.layout();
        this.ops = new RowOps(Math.max(Math.max(3 * d, spec.ffWidth()), VOCAB));
        this.blocks = new TransformerBlock[spec.layers()];
        for (int l = 0; l < blocks.length; l++) {
            String prefix = "layer" + l + ".";
            blocks[l] = new TransformerBlock(spec, TransformerBlock.Weights.of(flat.parameterRegion(), layout, prefix),
                    TransformerBlock.Weights.of(flat.gradientRegion(), layout, prefix), ops);
        }
        int rows = spec.maxBatch() * context;
        this.scratch = TransformerBlock.Scratch.allocate(rows, d, spec.ffWidth(), context);
        this.head = new SoftmaxCrossEntropy(VOCAB);
        this.embedding = layout.block("embedding");
        this.position = layout.block("position");
        this.finalGain = slice(flat.parameterRegion(), layout.block("final.ln.gain"));
        this.finalBias = slice(flat.parameterRegion(), layout.block("final.ln.bias"));
        this.headW = slice(flat.parameterRegion(), layout.block("head.w"));
        this.headB = slice(flat.parameterRegion(), layout.block("head.b"));
        this.finalGainGrad = slice(flat.gradientRegion(), layout.block("final.ln.gain"));
        this.finalBiasGrad = slice(flat.gradientRegion(), layout.block("final.ln.bias"));
        this.headWGrad = slice(flat.gradientRegion(), layout.block("head.w"));
        this.headBGrad = slice(flat.gradientRegion(), layout.block("head.b"));
        this.stream = new FloatRegion[blocks.length + 1];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = FloatRegion.allocate(rows, d);
        }
        this.normed = FloatRegion.allocate(rows, d);
        this.finalMean = new float[rows];
        this.finalRstd = new float[rows];
        this.logits = FloatRegion.allocate(rows, VOCAB);
        this.logitsDelta = FloatRegion.allocate(rows, VOCAB);
        this.delta = FloatRegion.allocate(rows, d);
        this.lastNormed = FloatRegion.allocate(spec.maxBatch(), d);
        this.lastLogits = FloatRegion.allocate(spec.maxBatch(), VOCAB);
        this.targets = new int[rows];
        this.positionWeights = new float[rows];
        this.embeddingTable = new float[embedding.length()];
        this.positionTable = new float[position.length()];
        this.embeddingGrad = new double[embedding.length()];
        this.positionGrad = new double[position.length()];
        this.row = new float[d];
        this.gradOut = new float[Math.max(embedding.length(), position.length())];
        flat.load(initialWeights(layout, spec.layers(), seed));
    }

    /**
     * GPT-2's initialisation: N(0, 0.02) weights and byte embeddings, N(0, 0.01) positions, the
     * residual projections (out.w, ff2.w) scaled by 1/√(2·layers), layer-norm gains 1, biases 0.
     */
    static float[] initialWeights(ParameterLayout layout, int layers, long seed) {
        Random random = new Random(seed);
        float[] values = new float[layout.size()];
        for (ParameterLayout.Block b : layout.blocks()) {
            String name = b.name();
            double std;
            if (name.endsWith(".gain")) {
                Arrays.fill(values, b.offset(), b.offset() + b.length(), 1f);
                continue;
            } else if (name.endsWith(".b") || name.endsWith(".bias")) {
                continue;
            } else if (name.equals("position")) {
                std = 0.01;
            } else if (name.endsWith("out.w") || name.endsWith("ff2.w")) {
                std = 0.02 / Math.sqrt(2.0 * layers);
            } else {
                std = 0.02;
            }
            for (int i = b.offset(); i < b.offset() + b.length(); i++) {
                values[i] = (float) (random.nextGaussian() * std);
            }
        }
        return values;
    }

    private static FloatRegion slice(FloatRegion flat, ParameterLayout.Block b) {
        return flat.slice(b.offset(), b.length());
    }

    @Override
    public ModelSpec.ByteTransformer spec() {
        return spec;
    }

    @Override
    public long parameterCount() {
        return flat.layout().size();
    }

    @Override
    public INDArray parameters() {
        return flat.parameters();
    }

    @Override
    public INDArray gradients() {
        return flat.gradients();
    }

    @Override
    public double computeGradients(Batch batch) {
        flat.ensureOpen();
        BatchChecks.checkTrainingSize(batch, spec.maxBatch());
        check(batch, 0, batch.size());
        int windows = batch.size();
        int n = windows * context;
        forward(batch, 0, windows);
        Blas.gemm(false, false, n, VOCAB, d, 1f, normed, d, headW, VOCAB, 0f, logits, VOCAB);
        ops.addBias(logits, headB, n, VOCAB, false);
        setTargets(batch, windows);
        double loss = head.lossAndDelta(logits, n, targets, positionWeights, 0, logitsDelta);

        ops.columnSums(logitsDelta, n, VOCAB, headBGrad);
        Blas.gemm(true, false, d, VOCAB, n, 1f, normed, d, logitsDelta, VOCAB, 0f, headWGrad, VOCAB);
        Blas.gemm(false, true, n, d, VOCAB, 1f, logitsDelta, VOCAB, headW, VOCAB, 0f, scratch.dNorm(), d);
        zero(delta, n * d);
        ops.layerNormBackward(stream[blocks.length], finalGain, finalMean, finalRstd, scratch.dNorm(), delta, finalGainGrad,
                finalBiasGrad, n, d);
        for (int l = blocks.length - 1; l >= 0; l--) {
            blocks[l].backward(stream[l], delta, windows, scratch);
        }
        embeddingGradients(batch, windows);
        return loss;
    }

    @Override
    public EvalResult evaluate(Batch batch) {
        flat.ensureOpen();
        check(batch, 0, batch.size());
        EvalResult total = EvalResult.EMPTY;
        for (int from = 0; from < batch.size(); from += spec.maxBatch()) {
            int windows = Math.min(spec.maxBatch(), batch.size() - from);
            lastPositionLogits(batch, from, windows);
            total = total.plus(head.score(lastLogits, windows, batch.labels(), from));
        }
        return total;
    }

    /** The next-byte distribution after each window: the softmax of its last position's logits. */
    @Override
    public void predict(Batch batch, float[] probabilities) {
        flat.ensureOpen();
        check(batch, 0, batch.size());
        BatchChecks.checkProbabilities(batch, probabilities, VOCAB);
        for (int from = 0; from < batch.size(); from += spec.maxBatch()) {
            int windows = Math.min(spec.maxBatch(), batch.size() - from);
            lastPositionLogits(batch, from, windows);
            head.softmax(lastLogits, windows, probabilities, from * VOCAB);
        }
    }

    /** The forward pass of windows {@code [from, from + windows)}, and the logits of each one's last position into {@link #lastLogits}. */
    private void lastPositionLogits(Batch batch, int from, int windows) {
        FloatBuffer normedRows = normed.floats();
        FloatBuffer last = lastNormed.floats();
        forward(batch, from, windows);
        for (int w = 0; w < windows; w++) {
            normedRows.get(((w + 1) * context - 1) * d, row, 0, d);
            last.put(w * d, row, 0, d);
        }
        Blas.gemm(false, false, windows, VOCAB, d, 1f, lastNormed, d, headW, VOCAB, 0f, lastLogits, VOCAB);
        ops.addBias(lastLogits, headB, windows, VOCAB, false);
    }

    /** Embeddings, the blocks and the final layer norm into {@link #normed}, for windows {@code [from, from + windows)}. */
    private void forward(Batch batch, int from, int windows) {
        flat.parameterRegion().floats().get(embedding.offset(), embeddingTable);
        flat.parameterRegion().floats().get(position.offset(), positionTable);
        FloatBuffer x = stream[0].floats();
        float[] features = batch.features();
        for (int w = 0; w < windows; w++) {
            for (int t = 0; t < context; t++) {
                int token = (int) features[(from + w) * context + t];
                for (int c = 0; c < d; c++) {
                    row[c] = embeddingTable[token * d + c] + positionTable[t * d + c];
                }
                x.put((w * context + t) * d, row, 0, d);
            }
        }
        for (int l = 0; l < blocks.length; l++) {
            blocks[l].forward(stream[l], stream[l + 1], windows, scratch);
        }
        ops.layerNorm(stream[blocks.length], finalGain, finalBias, normed, finalMean, finalRstd, windows * context, d);
    }

    /** Targets of every position and their weights: w_i / (targets of window i), 0 for padding positions. */
    private void setTargets(Batch batch, int windows) {
        float[] features = batch.features();
        for (int w = 0; w < windows; w++) {
            int base = w * context;
            int padding = 0;
            while (padding < context && features[base + padding] == 0f) {
                padding++;
            }
            int first = Math.max(0, padding - 1);
            float weight = (batch.weights() == null ? 1f : batch.weights()[w]) / (context - first);
            for (int t = 0; t < context; t++) {
                targets[base + t] = t < context - 1 ? (int) features[base + t + 1] : batch.labels()[w];
                positionWeights[base + t] = t >= first ? weight : 0f;
            }
        }
    }

    /** Scatter-adds dLoss/d(input row) into the byte and position embedding gradients. */
    private void embeddingGradients(Batch batch, int windows) {
        Arrays.fill(embeddingGrad, 0.0);
        Arrays.fill(positionGrad, 0.0);
        FloatBuffer dx = delta.floats();
        float[] features = batch.features();
        for (int w = 0; w < windows; w++) {
            for (int t = 0; t < context; t++) {
                dx.get((w * context + t) * d, row, 0, d);
                int token = (int) features[w * context + t] * d;
                int pos = t * d;
                for (int c = 0; c < d; c++) {
                    embeddingGrad[token + c] += row[c];
                    positionGrad[pos + c] += row[c];
                }
            }
        }
        FloatBuffer grads = flat.gradientRegion().floats();
        for (int i = 0; i < embeddingGrad.length; i++) {
            gradOut[i] = (float) embeddingGrad[i];
        }
        grads.put(embedding.offset(), gradOut, 0, embeddingGrad.length);
        for (int i = 0; i < positionGrad.length; i++) {
            gradOut[i] = (float) positionGrad[i];
        }
        grads.put(position.offset(), gradOut, 0, positionGrad.length);
    }

    private void check(Batch batch, int from, int rows) {
        BatchChecks.check(batch, from, rows, context, VOCAB);
        float[] features = batch.features();
        for (int i = from * context; i < (from + rows) * context; i++) {
            float v = features[i];
            if (!(v >= 0f && v <= 255f) || v != Math.rint(v)) {
                throw new IllegalArgumentException("context value " + v + " at index " + i + " is not a byte 0..255");
            }
        }
    }

    private static void zero(FloatRegion region, int n) {
        FloatBuffer f = region.floats();
        for (int i = 0; i < n; i++) {
            f.put(i, 0f);
        }
    }

    @Override
    public float[] parametersToArray() {
        return flat.toArray();
    }

    @Override
    public void loadParameters(float[] values) {
        flat.load(values);
    }

    @Override
    public void close() {
        flat.close();
    }

    @Override
    public String toString() {
        return spec + " (" + parameterCount() + " parameters)";
    }
}
