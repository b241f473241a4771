package io.clpipe.learner.engine.replay;

/**
 * Replay settings. A batch of B samples holds round(fraction·B) replayed samples and the rest new
 * ones, so replay costs no extra compute per step.
 *
 * @param policy      which samples the buffer keeps
 * @param capacity    buffer size in samples
 * @param fraction    replay fraction r in [0, 1)
 * @param lossWeights optional weighting of the new and replayed parts, or {@code null} for a plain mean
 */
public record ReplayConfig(ReplayPolicy policy, int capacity, double fraction, LossWeights lossWeights) {

    public ReplayConfig {
        if (policy == null || !(fraction >= 0) || fraction >= 1) {
            throw new IllegalArgumentException("replay needs a policy and 0 <= fraction < 1");
        }
        if (policy != ReplayPolicy.NONE && capacity <= 0) {
            throw new IllegalArgumentException("a " + policy + " buffer needs a positive capacity");
        }
    }

    public static ReplayConfig none() {
        return new ReplayConfig(ReplayPolicy.NONE, 0, 0, null);
    }

    public static ReplayConfig of(ReplayPolicy policy, int capacity, double fraction) {
        return new ReplayConfig(policy, capacity, fraction, null);
    }

    public ReplayConfig withLossWeights(double newWeight, double replayWeight) {
        return new ReplayConfig(policy, capacity, fraction, new LossWeights(newWeight, replayWeight));
    }

    public boolean enabled() {
        return policy != ReplayPolicy.NONE && fraction > 0;
    }

    /** round(r·B): replayed samples in a batch of {@code batchSize}. */
    public int replayPerBatch(int batchSize) {
        return enabled() ? (int) Math.round(fraction * batchSize) : 0;
    }

    /**
     * Whether a batch is filled with new samples where replay is short (only {@link ReplayPolicy#PAST},
     * which has nothing to replay during the first task): the batch size then stays fixed.
     */
    public boolean fillsWithNew() {
        return policy == ReplayPolicy.PAST;
    }

    /** A new, empty buffer of this policy, or {@code null} for {@link ReplayPolicy#NONE}. */
    public ReplayBuffer createBuffer() {
        return switch (policy) {
            case NONE -> null;
            case RESERVOIR -> new ReservoirBuffer(capacity);
            case CLASS_BALANCED -> BalancedBuffer.classBalanced(capacity);
            case TASK_BALANCED -> BalancedBuffer.taskBalanced(capacity);
            case PAST -> BalancedBuffer.pastTasks(capacity);
        };
    }

    /**
     * Loss = (newWeight·mean(new) + replayWeight·mean(replay)) / (newWeight + replayWeight); De Lange
     * et al. use 0.3 / 0.7.
     */
    public record LossWeights(double newWeight, double replayWeight) {
        public LossWeights {
            if (!(newWeight >= 0) || !(replayWeight >= 0) || !(newWeight + replayWeight > 0)
                    || !Double.isFinite(newWeight + replayWeight)) {
                throw new IllegalArgumentException("loss weights must be non-negative, finite, not both zero");
            }
        }
    }
}
