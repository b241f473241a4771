package io.clpipe.learner.engine.schedule;

/**
 * Where a learning-rate schedule stands; everything a checkpoint needs to resume it exactly.
 *
 * @param step       optimizer steps since the schedule started or was last re-warmed
 * @param samples    samples trained on since the same point (the power schedule's n)
 * @param peak       η_max in effect (a re-warm may target another peak)
 * @param warmup     warmup length in effect, in steps
 * @param restarts   re-warms so far
 * @param annealStep steps into an anneal (infinite schedules), or -1 when not annealing
 */
public record SchedulePosition(long step, long samples, double peak, long warmup, int restarts, long annealStep) {

    public SchedulePosition {
        if (step < 0 || samples < 0 || warmup < 0 || restarts < 0 || annealStep < -1 || !(peak >= 0)) {
            throw new IllegalArgumentException("invalid schedule position " + step + "/" + samples + "/" + peak
                    + "/" + warmup + "/" + restarts + "/" + annealStep);
        }
    }

    public static SchedulePosition start(double peak, long warmup) {
        return new SchedulePosition(0, 0, peak, warmup, 0, -1);
    }

    public boolean annealing() {
        return annealStep >= 0;
    }

    /** After one optimizer step over {@code batchSamples} samples. */
    public SchedulePosition advance(long batchSamples) {
        return new SchedulePosition(step + 1, samples + batchSamples, peak, warmup, restarts,
                annealStep < 0 ? -1 : annealStep + 1);
    }

    /** Back to step 0 with a new warmup to {@code newPeak}. */
    public SchedulePosition rewarm(double newPeak, long newWarmup) {
        return new SchedulePosition(0, 0, newPeak, newWarmup, restarts + 1, -1);
    }

    public SchedulePosition withAnnealStep(long newAnnealStep) {
        return new SchedulePosition(step, samples, peak, warmup, restarts, newAnnealStep);
    }
}
