package io.clpipe.learner.engine;

/**
 * A step whose loss or gradient was not finite: nothing was applied, the state went back to the
 * last good copy and the learning rate was lowered.
 *
 * @param iteration         the iteration of the rejected step
 * @param cause             what was not finite
 * @param loss              the loss computed for the step
 * @param gradientNorm      the gradient's L2 norm (NaN or infinite when the cause is the gradient)
 * @param restoredIteration the iteration whose state was restored
 * @param lrScale           the factor now applied to the schedule's rate
 */
public record DivergenceEvent(long iteration, Cause cause, double loss, double gradientNorm,
                              long restoredIteration, double lrScale) {

    public enum Cause { NON_FINITE_LOSS, NON_FINITE_GRADIENT }
}
