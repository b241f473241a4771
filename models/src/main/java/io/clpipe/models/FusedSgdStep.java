package io.clpipe.models;

/**
 * Optional capability of a {@link Model}: one plain-SGD training step with the update folded into
 * the backward pass ({@code θ ← θ − η·∇L}, the weight-gradient gemm accumulating straight into the
 * weights). Saves writing and re-reading the gradient vector; {@link Model#gradients()} is left
 * untouched. Numerically the same update as {@code computeGradients} followed by
 * {@code θ −= η·g}, up to float rounding order.
 */
public interface FusedSgdStep {

    /** @return the weighted mean loss of the batch before the update */
    double sgdStep(Batch batch, float learningRate);
}
