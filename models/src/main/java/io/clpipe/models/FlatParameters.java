package io.clpipe.models;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A model's flat [1, P] parameter and gradient vectors, and their copies to and from float[]. */
final class FlatParameters implements AutoCloseable {

    private final ParameterLayout layout;
    private final INDArray parameters;
    private final INDArray gradients;
    private final FloatRegion parameterRegion;
    private final FloatRegion gradientRegion;
    private boolean closed;

    FlatParameters(ParameterLayout layout) {
        this.layout = layout;
        this.parameters = FloatRegion.detachedZeros(1, layout.size());
        this.gradients = FloatRegion.detachedZeros(1, layout.size());
        this.parameterRegion = FloatRegion.of(parameters);
        this.gradientRegion = FloatRegion.of(gradients);
    }

    ParameterLayout layout() {
        return layout;
    }

    INDArray parameters() {
        ensureOpen();
        return parameters;
    }

    INDArray gradients() {
        ensureOpen();
        return gradients;
    }

    FloatRegion parameterRegion() {
        return parameterRegion;
    }

    FloatRegion gradientRegion() {
        return gradientRegion;
    }

    float[] toArray() {
        ensureOpen();
        float[] values = new float[layout.size()];
        parameterRegion.floats().get(0, values);
        return values;
    }

    void load(float[] values) {
        ensureOpen();
        if (values.length != layout.size()) {
            throw new IllegalArgumentException("expected " + layout.size() + " parameters, got " + values.length);
        }
        parameterRegion.floats().put(0, values);
    }

    /** A [rows, cols] view of one block of the parameters (shares memory). */
    INDArray view(INDArray flat, ParameterLayout.Block block) {
        return flat.reshape(layout.size()).get(NDArrayIndex.interval(block.offset(), block.offset() + block.length()))
                .reshape('c', block.rows(), block.cols());
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            parameters.close();
            gradients.close();
        }
    }
}
