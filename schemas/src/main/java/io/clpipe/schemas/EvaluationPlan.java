package io.clpipe.schemas;

/**
 * When a model is evaluated, and so when the learner publishes a snapshot: the cadence contract
 * between learner and evaluator, hence here in schemas.
 *
 * <p>Every {@code period} iterations (ρ); in boundary-dense mode additionally at every one of the
 * first {@code denseWindow} iterations (W) after a boundary. Iteration 0 (the untrained model) is
 * always a multiple of ρ, so the initial model is evaluated.
 *
 * @param period      ρ ≥ 1
 * @param denseWindow W ≥ 0; 0 means plain every-ρ evaluation
 */
public record EvaluationPlan(int period, int denseWindow) {

    public EvaluationPlan {
        if (period < 1 || denseWindow < 0) {
            throw new IllegalArgumentException("need period >= 1 and denseWindow >= 0, got " + period + ", " + denseWindow);
        }
    }

    public static EvaluationPlan every(int period) {
        return new EvaluationPlan(period, 0);
    }

    public static EvaluationPlan boundaryDense(int period, int denseWindow) {
        return new EvaluationPlan(period, denseWindow);
    }

    /**
     * @param iteration              the model's iteration n (updates applied so far)
     * @param iterationsSinceBoundary n − b, where b is the first iteration of the current task
     *                               (0 at the boundary iteration itself); negative when no boundary
     *                               has happened yet
     */
    public boolean shouldEvaluate(long iteration, long iterationsSinceBoundary) {
        if (iterationsSinceBoundary >= 0 && iterationsSinceBoundary < denseWindow) {
            return true;
        }
        return iteration % period == 0;
    }
}
