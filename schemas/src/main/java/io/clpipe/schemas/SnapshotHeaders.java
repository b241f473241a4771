package io.clpipe.schemas;

/**
 * Record headers the learner puts on a models-topic snapshot (UTF-8 decimal text) and the evaluator
 * copies into the metrics record's aggregates: the learner's prequential (test-then-train) scores at
 * that version, see docs/metrics.md. Absent before the first step.
 */
public final class SnapshotHeaders {

    /** Faded prequential accuracy over the new samples trained so far. */
    public static final String PREQUENTIAL_ACCURACY = "clpipe.prequential.accuracy";
    /** Faded prequential cross-entropy (natural log). */
    public static final String PREQUENTIAL_LOSS = "clpipe.prequential.loss";
    /** Accuracy of the last step's new samples alone, before that step. */
    public static final String PREQUENTIAL_STEP_ACCURACY = "clpipe.prequential.step.accuracy";
    /** New samples scored so far. */
    public static final String PREQUENTIAL_SAMPLES = "clpipe.prequential.samples";
    /** The fading factor α used. */
    public static final String PREQUENTIAL_FADING = "clpipe.prequential.fading";

    private SnapshotHeaders() {
    }
}
