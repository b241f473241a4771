package io.clpipe.evaluator.engine;

/** How the samples scored at each evaluation are drawn from a task's eval set. */
public enum SubsetMode {
    /**
     * One subset per task, drawn once the set first holds enough samples and reused at every later
     * evaluation, so that successive scores A(i, n) compare the model on the same samples.
     */
    FIXED,
    /** A fresh uniform subset at every evaluation (what ContinualEvaluation's code does per iteration). */
    RESAMPLED
}
