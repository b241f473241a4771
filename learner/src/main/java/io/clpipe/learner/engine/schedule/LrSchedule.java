package io.clpipe.learner.engine.schedule;

/**
 * A learning-rate schedule as a pure function of a {@link SchedulePosition}. The schedule object is
 * immutable configuration; the learner owns the position, advances it every step and stores it in
 * checkpoints. Formulas: docs/operations.md, "Learning-rate schedules" (step t, warmup T_w, peak η_max, floor η_min, planned steps T).
 */
public sealed interface LrSchedule permits RewarmingSchedule, Infinite {

    /** Position before the first step. */
    SchedulePosition start();

    /** The learning rate for the step taken at {@code position}. */
    double rate(SchedulePosition position);

    /**
     * At a task boundary or drift event: finite schedules restart from a (re-)warmup and decay again;
     * infinite schedules keep their constant rate.
     */
    SchedulePosition onBoundary(SchedulePosition position);

    /** Only infinite schedules anneal; the others ignore the request. */
    default SchedulePosition requestAnneal(SchedulePosition position) {
        return position;
    }

    /** Re-warm length by default: 1% of the planned steps, at least one step. */
    static long defaultRewarmSteps(long plannedSteps) {
        return Math.max(1, Math.round(0.01 * plannedSteps));
    }

    static void checkRewarm(double rewarmPeak, long rewarmSteps) {
        if (!(rewarmPeak > 0) || !Double.isFinite(rewarmPeak) || rewarmSteps < 0) {
            throw new IllegalArgumentException("re-warm needs a positive peak and non-negative length");
        }
    }
}
