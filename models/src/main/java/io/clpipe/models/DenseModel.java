package io.clpipe.models;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What both models share: an input stage (subclass), a {@link DenseStack}, a softmax
 * cross-entropy head, flat parameters, and the train/evaluate loops around them.
 */
abstract sealed class DenseModel implements Model, FusedSgdStep permits MlpClassifier, ByteLanguageModel {

    private final ModelSpec spec;
    final FlatParameters flat;
    final DenseStack stack;
    private final SoftmaxCrossEntropy head;

    DenseModel(ModelSpec spec, long seed) {
        this.spec = spec;
        this.flat = new FlatParameters(ParameterLayout.of(spec));
        this.stack = new DenseStack(flat.layout().denseLayers(), flat.parameterRegion(), flat.gradientRegion(), spec.maxBatch());
        this.head = new SoftmaxCrossEntropy(spec.classes());
        flat.load(HeInitializer.initialize(flat.layout(), seed));
    }

    /** Rejects malformed rows {@code [from, from + rows)} before any buffer is written. */
    abstract void check(Batch batch, int from, int rows);

    /** Writes rows {@code [from, from + rows)} into the stack's input and returns that buffer. */
    abstract FloatRegion loadInput(Batch batch, int from, int rows);

    /** Where the stack should write dLoss/dinput, or {@code null} when the input has no parameters. */
    abstract FloatRegion inputDelta();

    /** Turns the input delta into gradients (or, fused, an SGD update) of the input stage's parameters. */
    abstract void backwardInput(Batch batch, boolean fused, float learningRate);

    @Override
    public ModelSpec spec() {
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

    /** Where each weight matrix, bias and embedding table sits in {@link #parameters()}. */
    public ParameterLayout layout() {
        return flat.layout();
    }

    /** One block of {@link #parameters()} (e.g. {@code "w1"}, {@code "embedding"}) as a [rows, cols] view sharing its memory. */
    public INDArray parameterBlock(String name) {
        return flat.view(flat.parameters(), flat.layout().block(name));
    }

    @Override
    public double computeGradients(Batch batch) {
        FloatRegion input = forward(batch);
        double loss = head.lossAndDelta(stack.logits(), batch.size(), batch.labels(), batch.weights(), 0, stack.outputDelta());
        stack.backward(input, batch.size(), inputDelta());
        backwardInput(batch, false, 0f);
        return loss;
    }

    @Override
    public double sgdStep(Batch batch, float learningRate) {
        FloatRegion input = forward(batch);
        double loss = head.lossAndDelta(stack.logits(), batch.size(), batch.labels(), batch.weights(), 0, stack.outputDelta());
        stack.backwardSgd(input, batch.size(), inputDelta(), learningRate);
        backwardInput(batch, true, learningRate);
        return loss;
    }

    private FloatRegion forward(Batch batch) {
        flat.ensureOpen();
        BatchChecks.checkTrainingSize(batch, spec.maxBatch());
        check(batch, 0, batch.size());
        FloatRegion input = loadInput(batch, 0, batch.size());
        stack.forward(input, batch.size());
        return input;
    }

    @Override
    public EvalResult evaluate(Batch batch) {
        flat.ensureOpen();
        check(batch, 0, batch.size());
        EvalResult total = EvalResult.EMPTY;
        for (int from = 0; from < batch.size(); from += spec.maxBatch()) {
            int rows = Math.min(spec.maxBatch(), batch.size() - from);
            stack.forward(loadInput(batch, from, rows), rows);
            total = total.plus(head.score(stack.logits(), rows, batch.labels(), from));
        }
        return total;
    }

    @Override
    public void predict(Batch batch, float[] probabilities) {
        flat.ensureOpen();
        check(batch, 0, batch.size());
        BatchChecks.checkProbabilities(batch, probabilities, spec.classes());
        for (int from = 0; from < batch.size(); from += spec.maxBatch()) {
            int rows = Math.min(spec.maxBatch(), batch.size() - from);
            stack.forward(loadInput(batch, from, rows), rows);
            head.softmax(stack.logits(), rows, probabilities, from * spec.classes());
        }
    }

    @Override
    public boolean lastForward(Batch batch, int rows, int[] predicted, double[] loss) {
        flat.ensureOpen();
        if (rows > batch.size() || rows > spec.maxBatch()) {
            throw new IllegalArgumentException(rows + " rows of a batch of " + batch.size());
        }
        head.rows(stack.logits(), rows, batch.labels(), predicted, loss);
        return true;
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
