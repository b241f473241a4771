package io.clpipe.bench.learner;

import io.clpipe.models.ModelSpec;
import io.clpipe.models.ParameterLayout;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The byte Transformer of {@code model.kind=byte-transformer} written as a SameDiff graph, for
 * {@code clpipe bench transformer} only (the product trains the hand-written model; docs/benchmarks.md
 * has the measurement that chose it). Same architecture and parameter tensors as the models module's
 * layout: byte embedding plus learned positions, pre-norm blocks of causal multi-head self-attention
 * and a ReLU feed-forward of 4·width, a final layer norm, an untied output layer, and the mean
 * softmax cross-entropy over every position of every window.
 *
 * <p>Causal attention is built from matmul, an additive mask and softmax: ND4J 1.0.0-M2.1's
 * {@code dotProductAttention} and {@code multiHeadDotProductAttention} take only a per-key padding
 * mask of shape [batch, timesteps], not a per-query causal one. The byte embedding is a one-hot
 * matmul rather than {@code gather}: M2.1 differentiates {@code gather} with a graph loop whose
 * arrays {@code fit} closes before use ("One of Input arguments was closed before call"). The loss is
 * {@code softmaxCrossEntropy} on one-hot targets: M2.1's {@code sparseSoftmaxCrossEntropy} ignores the
 * gradient flowing into it, so a mean over positions trained on the sum's gradient. The update is SameDiff's own
 * {@code fit} with {@link Adam} and decoupled weight decay ({@code weightDecay(λ, true)} applies
 * {@code lr·λ·w} after the updater, i.e. AdamW).
 */
final class SameDiffTransformer {

    static final String TOKENS = "tokens";
    static final String TARGETS = "targets";
    static final String LOSS = "loss";
    private static final int VOCAB = 256;
    private static final float MASKED = -1e9f;
    /** The models module's layer-norm ε (RowOps). */
    private static final double LAYER_NORM_EPSILON = 1e-5;

    private final SameDiff sd;
    private final ModelSpec.ByteTransformer spec;
    private final int windows;
    private final LayerNorm layerNorm;
    private final Map<String, SDVariable> parameters = new LinkedHashMap<>();

    /**
     * A graph for exactly {@code windows} windows per batch, its parameters set from {@code initial}
     * (a flat vector in {@link ParameterLayout#of} order, as {@code Model.parametersToArray()} gives).
     */
    SameDiffTransformer(ModelSpec.ByteTransformer spec, int windows, float[] initial, AdamSettings adam, LayerNorm layerNorm) {
        ParameterLayout layout = ParameterLayout.of(spec);
        if (initial.length != layout.size()) {
            throw new IllegalArgumentException("expected " + layout.size() + " parameters, got " + initial.length);
        }
        this.spec = spec;
        this.windows = windows;
        this.layerNorm = layerNorm;
        this.sd = SameDiff.create();
        for (ParameterLayout.Block b : layout.blocks()) {
            float[] values = Arrays.copyOfRange(initial, b.offset(), b.offset() + b.length());
            INDArray array = b.rows() == 1 ? Nd4j.create(values, new long[] {b.cols()}, DataType.FLOAT)
                    : Nd4j.create(values, new long[] {b.rows(), b.cols()}, DataType.FLOAT);
            parameters.put(b.name(), sd.var(b.name(), array));
        }
        build();
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(adam.learningRate(), adam.beta1(), adam.beta2(), adam.epsilon()))
                .weightDecay(adam.weightDecay(), true)
                .dataSetFeatureMapping(TOKENS)
                .dataSetLabelMapping(TARGETS)
                .build());
        createGradientsQuietly();
    }

    /** M2.1's {@code createGradFunction} prints a line per op to System.out; keep the benchmark's output readable. */
    private void createGradientsQuietly() {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        try {
            sd.createGradFunction();
        } finally {
            System.setOut(stdout);
        }
    }

    /**
     * How the graph normalises: libnd4j's fused {@code layer_norm} op, whose standardisation divides by the
     * standard deviation with no ε (ND4J 1.0.0-M2.1), or the hand-written model's {@code (x − μ)/√(σ² + 1e-5)}
     * spelled out in SameDiff ops (mean, subtract, square, mean, add, sqrt, divide, multiply, add).
     */
    enum LayerNorm {
        FUSED, EPSILON
    }

    /** Adam's settings; decoupled weight decay scaled by the learning rate (PyTorch's AdamW). */
    record AdamSettings(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
    }

    private void build() {
        int t = spec.context();
        int d = spec.width();
        int heads = spec.heads();
        int hw = d / heads;
        long n = (long) windows * t;
        SDVariable tokens = sd.placeHolder(TOKENS, DataType.INT, n);
        SDVariable targets = sd.placeHolder(TARGETS, DataType.INT, n);
        SDVariable oneHot = sd.oneHot(tokens, VOCAB, -1, 1.0, 0.0, DataType.FLOAT);
        SDVariable embedded = sd.mmul(oneHot, p("embedding")).reshape(windows, t, d);
        SDVariable x = embedded.add(p("position")).reshape(n, d);
        SDVariable mask = sd.constant("causal", causalMask(t));
        for (int l = 0; l < spec.layers(); l++) {
            String pre = "layer" + l + ".";
            SDVariable h = norm(x, pre + "ln1");
            SDVariable qkv = sd.nn().linear(h, p(pre + "qkv.w"), p(pre + "qkv.b"))
                    .reshape(windows, t, 3 * heads, hw).permute(0, 2, 1, 3);
            SDVariable q = sd.slice(qkv, new int[] {0, 0, 0, 0}, windows, heads, t, hw).mul(1 / Math.sqrt(hw));
            SDVariable k = sd.slice(qkv, new int[] {0, heads, 0, 0}, windows, heads, t, hw);
            SDVariable v = sd.slice(qkv, new int[] {0, 2 * heads, 0, 0}, windows, heads, t, hw);
            SDVariable scores = sd.mmul(q, k, false, true, false).add(mask);
            SDVariable attended = sd.mmul(sd.nn().softmax(scores, 3), v).permute(0, 2, 1, 3).reshape(n, d);
            SDVariable mid = x.add(sd.nn().linear(attended, p(pre + "out.w"), p(pre + "out.b")));
            SDVariable h2 = norm(mid, pre + "ln2");
            SDVariable hidden = sd.nn().relu(sd.nn().linear(h2, p(pre + "ff1.w"), p(pre + "ff1.b")), 0);
            x = mid.add(sd.nn().linear(hidden, p(pre + "ff2.w"), p(pre + "ff2.b")));
        }
        SDVariable normed = norm(x, "final.ln");
        SDVariable logits = sd.nn().linear(normed, p("head.w"), p("head.b"));
        SDVariable labels = sd.oneHot(targets, VOCAB, -1, 1.0, 0.0, DataType.FLOAT);
        sd.loss().softmaxCrossEntropy(LOSS, labels, logits, null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
        sd.setLossVariables(LOSS);
    }

    private SDVariable norm(SDVariable x, String name) {
        SDVariable gain = p(name + ".gain");
        SDVariable bias = p(name + ".bias");
        if (layerNorm == LayerNorm.FUSED) {
            return sd.nn().layerNorm(x, gain, bias, false, 1);
        }
        SDVariable centred = x.sub(x.mean(true, 1));
        SDVariable variance = centred.mul(centred).mean(true, 1);
        return centred.div(sd.math().sqrt(variance.add(LAYER_NORM_EPSILON))).mul(gain).add(bias);
    }

    /** 0 where position i may attend to j (j ≤ i), a large negative number elsewhere. */
    private static INDArray causalMask(int t) {
        float[] mask = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                mask[i * t + j] = MASKED;
            }
        }
        return Nd4j.create(mask, new long[] {t, t}, DataType.FLOAT);
    }

    private SDVariable p(String name) {
        return parameters.get(name);
    }

    long parameterCount() {
        return parameters.values().stream().mapToLong(v -> v.getArr().length()).sum();
    }

    /**
     * One training step (forward, backward, Adam with decoupled decay) on {@code batch}. SameDiff's {@code fit}
     * does not evaluate the loss itself (its gradient op starts from the logits, and M2.1 runs the loss op
     * for no listener), so unlike the hand-written step this one yields no loss value.
     */
    void step(Inputs batch) {
        sd.fit(new MultiDataSet(batch.tokens(), batch.targets()));
    }

    /** The loss on {@code batch} without training. */
    double loss(Inputs batch) {
        return sd.outputSingle(batch.placeholders(), LOSS).getDouble(0);
    }

    /** dLoss/dθ on {@code batch} for every parameter tensor, by layout name (shapes as in the graph). */
    Map<String, INDArray> gradients(Inputs batch) {
        return sd.calculateGradients(batch.placeholders(), parameters.keySet());
    }

    /** The current value of a parameter tensor, by layout name. */
    INDArray parameter(String name) {
        return parameters.get(name).getArr();
    }

    /** A batch as the graph's inputs: the window bytes and each position's next byte, flattened to windows·context. */
    record Inputs(INDArray tokens, INDArray targets) {

        static Inputs of(int[] tokens, int[] targets) {
            return new Inputs(Nd4j.createFromArray(tokens), Nd4j.createFromArray(targets));
        }

        Map<String, INDArray> placeholders() {
            Map<String, INDArray> map = new HashMap<>();
            map.put(TOKENS, tokens);
            map.put(TARGETS, targets);
            return map;
        }
    }
}
