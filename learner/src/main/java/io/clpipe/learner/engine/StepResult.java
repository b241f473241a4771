package io.clpipe.learner.engine;

/**
 * Outcome of one {@link ContinualLearner#step}.
 *
 * @param iteration    the learner's iteration after the step (1 for the first step)
 * @param loss         the (weighted) mean batch loss before the update
 * @param learningRate the rate used (schedule × divergence scale)
 * @param gradientNorm the gradient's L2 norm before clipping
 * @param fresh        new samples in the batch
 * @param replayed     replayed samples in the batch
 * @param diverged     the step was rejected and the state rolled back (no update applied)
 */
public record StepResult(long iteration, double loss, double learningRate, double gradientNorm,
                         int fresh, int replayed, boolean diverged) {
}
