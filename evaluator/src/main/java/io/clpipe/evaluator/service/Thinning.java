package io.clpipe.evaluator.service;

import java.util.Objects;

/**
 * Whether a snapshot may be skipped when the evaluator is behind (docs/operations.md, "Thinning"):
 * a pure rule on what the evaluator holds when it reaches the snapshot, no Kafka, no clock. A version
 * is skipped only when the backlog behind it exceeds the bound <em>and</em> it is none of the
 * versions the metrics need exactly: the initial model (b_i of FWT), a stream's first version, a
 * boundary b (the old task's last iteration: before, a(k, j), FWT's a(i−1, i)), the first version
 * after b, the versions in the dense window after b or after version 0 (the stability gap's depth and recovery, LCA),
 * and a version whose successor is not in hand (it might be a boundary).
 *
 * @param backlog     skip only while more than this many snapshots lie after the one in hand on its
 *                    models partition; 0 turns thinning off (every version is scored)
 * @param denseAfter  versions b + 1 … b + denseAfter after each boundary b (and 1 … denseAfter) are always scored
 */
record Thinning(int backlog, int denseAfter) {

    public static final Thinning OFF = new Thinning(0, 0);

    Thinning {
        if (backlog < 0 || denseAfter < 0) {
            throw new IllegalArgumentException("eval.thin.backlog and eval.thin.dense.after must be >= 0, got " + backlog
                    + " and " + denseAfter);
        }
    }

    boolean on() {
        return backlog > 0;
    }

    /** Why a snapshot is scored, or {@link #SKIP}. */
    enum Verdict {
        SKIP,
        OFF,
        WITHIN_BACKLOG,
        INITIAL_MODEL,
        FIRST_OF_STREAM,
        FIRST_AFTER_BOUNDARY,
        NO_SUCCESSOR_IN_HAND,
        BOUNDARY,
        DENSE_AFTER_BOUNDARY
    }

    /**
     * What is known when a snapshot is reached.
     *
     * @param version       its version
     * @param task          its task label (null: task-free)
     * @param streamKnown   whether a version of the stream was seen before (scored or skipped)
     * @param previousTask  the task of the stream's previous version (scored or skipped)
     * @param nextVersion   the version of the stream's next snapshot already read, or −1 if none is in hand
     * @param nextTask      that snapshot's task
     * @param lastBoundary  the stream's latest boundary b with an open stability gap, or −1 (the window then follows version 0)
     * @param behind        snapshots on its models partition after it
     */
    record Candidate(long version, String task, boolean streamKnown, String previousTask, long nextVersion, String nextTask,
                     long lastBoundary, long behind) {
    }

    Verdict decide(Candidate c) {
        if (!on()) {
            return Verdict.OFF;
        }
        if (c.behind() <= backlog) {
            return Verdict.WITHIN_BACKLOG;
        }
        if (c.version() == 0) {
            return Verdict.INITIAL_MODEL;
        }
        if (!c.streamKnown()) {
            return Verdict.FIRST_OF_STREAM;
        }
        if (!sameTask(c.previousTask(), c.task())) {
            return Verdict.FIRST_AFTER_BOUNDARY;
        }
        if (c.nextVersion() <= c.version()) {
            return Verdict.NO_SUCCESSOR_IN_HAND;
        }
        if (!sameTask(c.task(), c.nextTask())) {
            return Verdict.BOUNDARY;
        }
        if (c.version() - Math.max(0, c.lastBoundary()) <= denseAfter) {
            return Verdict.DENSE_AFTER_BOUNDARY;
        }
        return Verdict.SKIP;
    }

    private static boolean sameTask(String a, String b) {
        return Objects.equals(EvalIntake.taskOf(a), EvalIntake.taskOf(b));
    }
}
