package io.clpipe.schemas;

/**
 * Names of the aggregate metrics in {@code IterationMetrics.aggregates} (JSON {@code aggregates}).
 * Accuracy-based unless the record's direction is {@code lower_is_better}, in which case the same
 * quantities are computed on the loss (forgetting is then a loss rise).
 */
public final class MetricKeys {

    /** Mean over seen tasks of the current value. */
    public static final String ACC = "acc";
    /** Mean over previous tasks of the worst value since each was learned (De Lange et al. 2023). */
    public static final String MIN_ACC = "min_acc";
    /** Worst-case accuracy: (1/k)·current task + (1 − 1/k)·min_acc. */
    public static final String WC_ACC = "wc_acc";
    /** Windowed forgetting over 10 and 100 evaluations. */
    public static final String WF10 = "wf10";
    public static final String WF100 = "wf100";
    /** Windowed plasticity (largest rise) over 10 and 100 evaluations. */
    public static final String WP10 = "wp10";
    public static final String WP100 = "wp100";
    /** Learning-curve area: mean of the first 10 values while learning each task. */
    public static final String LCA = "lca";
    /** End-of-task metrics over the accuracy matrix (Chaudhry 2018); present once a task has ended. */
    public static final String FORGETTING = "forgetting";
    public static final String BWT = "bwt";
    public static final String FWT = "fwt";
    public static final String LEARNING_ACCURACY = "learning_accuracy";
    /** The learner's prequential (test-then-train) accuracy and loss at the evaluated version (SnapshotHeaders). */
    public static final String PREQUENTIAL_ACC = "prequential_acc";
    public static final String PREQUENTIAL_LOSS = "prequential_loss";
    public static final String PREQUENTIAL_STEP_ACC = "prequential_step_acc";

    private MetricKeys() {
    }
}
