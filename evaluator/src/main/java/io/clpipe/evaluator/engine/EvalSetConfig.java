package io.clpipe.evaluator.engine;

/**
 * Sizing of the per-(stream, task) eval sets.
 *
 * @param capacity   samples kept per (stream, task): a uniform reservoir over the task's eval split
 * @param subsetSize samples scored per evaluation (ContinualEvaluation uses 1000); at most capacity
 * @param mode       fixed subset per task, or resampled at every evaluation
 * @param seed       seed of the reservoir and subset draws (each set derives its own from its key)
 */
public record EvalSetConfig(int capacity, int subsetSize, SubsetMode mode, long seed) {

    public static final int DEFAULT_SIZE = 1000;

    public EvalSetConfig {
        if (subsetSize <= 0 || capacity < subsetSize) {
            throw new IllegalArgumentException(
                    "need 0 < subsetSize <= capacity, got subsetSize " + subsetSize + ", capacity " + capacity);
        }
        if (mode == null) {
            throw new IllegalArgumentException("subset mode is required");
        }
    }

    /** 1000 samples kept and scored per task, fixed subset. */
    public static EvalSetConfig defaults(long seed) {
        return new EvalSetConfig(DEFAULT_SIZE, DEFAULT_SIZE, SubsetMode.FIXED, seed);
    }
}
