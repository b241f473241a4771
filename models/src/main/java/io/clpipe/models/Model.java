package io.clpipe.models;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A differentiable model whose parameters and gradients each live in one flat float32 vector.
 *
 * <p>Every layer's weights are views into {@link #parameters()}, so an optimizer updates the whole
 * model with a handful of in-place vector ops, and a snapshot or checkpoint is one array copy.
 * Implementations preallocate their activation buffers for {@link ModelSpec#maxBatch()} rows:
 * a training step allocates nothing.
 *
 * <p>Not thread-safe: one model belongs to one thread at a time.
 */
public interface Model extends AutoCloseable {

    ModelSpec spec();

    /** Number of scalar parameters (length of {@link #parameters()}). */
    long parameterCount();

    /** Flat [1, P] float32 parameter vector; optimizers mutate it in place. */
    INDArray parameters();

    /** Flat [1, P] float32 gradient vector, same layout as {@link #parameters()}; written by {@link #computeGradients}. */
    INDArray gradients();

    /**
     * Forward and backward pass over the batch. Fills {@link #gradients()} with the gradient of the
     * weighted mean loss {@code sum_i w_i * loss_i / sum_i w_i} (w_i = 1 when the batch has no weights).
     *
     * @return that weighted mean loss (may be NaN/Inf if the model diverged; callers guard)
     */
    double computeGradients(Batch batch);

    /** Forward pass only, in chunks of at most {@link ModelSpec#maxBatch()} rows; gradients untouched. */
    EvalResult evaluate(Batch batch);

    /**
     * Forward pass only, the same one {@link #evaluate} runs: writes each row's softmax distribution
     * over {@link ModelSpec#classes()} into {@code probabilities} (row-major, {@code batch.size() × classes}).
     * Labels are ignored apart from their range check; gradients untouched.
     */
    void predict(Batch batch, float[] probabilities);

    /**
     * What the forward pass of the last {@link #computeGradients} call predicted for rows
     * {@code [0, rows)} of that batch, read from its logits before any update: each row's arg-max
     * class into {@code predicted} and the cross-entropy of its label into {@code loss}. Valid until
     * the next forward pass.
     *
     * @return false if this model does not keep them (callers then report nothing)
     */
    default boolean lastForward(Batch batch, int rows, int[] predicted, double[] loss) {
        return false;
    }

    /** Copies the parameters out (the parameter codec: float32, layout defined by the spec). */
    float[] parametersToArray();

    /** Overwrites the parameters with {@code values} (length must equal {@link #parameterCount()}). */
    void loadParameters(float[] values);

    @Override
    void close();
}
