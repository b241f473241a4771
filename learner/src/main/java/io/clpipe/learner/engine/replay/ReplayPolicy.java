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
    TASK_BALANCED,
    /**
     * Stored like {@link #TASK_BALANCED}, but a batch replays only samples of tasks other than its own
     * (Ibrahim et al. 2024 replay the previous data set only); while there are none, the batch is all new.
     */
    PAST
}
