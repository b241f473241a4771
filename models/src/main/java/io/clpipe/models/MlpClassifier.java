package io.clpipe.models;

/**
 * MLP classifier: inputDim → hidden… (ReLU) → classes, softmax cross-entropy. Hand-written forward
 * and backward over preallocated ND4J buffers; a training step allocates nothing.
 */
public final class MlpClassifier extends DenseModel {

    private final ModelSpec.Mlp spec;
    private final FloatRegion input;

    MlpClassifier(ModelSpec.Mlp spec, long seed) {
        super(spec, seed);
        this.spec = spec;
        this.input = FloatRegion.allocate(spec.maxBatch(), spec.inputDim());
    }

    @Override
    public ModelSpec.Mlp spec() {
        return spec;
    }

    @Override
    void check(Batch batch, int from, int rows) {
        BatchChecks.check(batch, from, rows, spec.inputDim(), spec.classes());
    }

    @Override
    FloatRegion loadInput(Batch batch, int from, int rows) {
        input.floats().put(0, batch.features(), from * spec.inputDim(), rows * spec.inputDim());
        return input;
    }

    @Override
    FloatRegion inputDelta() {
        return null;
    }

    @Override
    void backwardInput(Batch batch, boolean fused, float learningRate) {
        // raw features have no parameters
    }
}
