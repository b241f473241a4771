package io.clpipe.learner.engine.replay;

/** Which samples a replay buffer keeps. */
public enum ReplayPolicy {
    /** No buffer, no replay. */
    NONE,
    /** A uniform sample of the whole stream (Vitter's algorithm R). */
    RESERVOIR,
    /** Equal shares per class label, a uniform sample within each class. */
    CLASS_BALANCED,
    /** Equal shares per task, a uniform sample within each task. */
    TASK_BALANCED
}
