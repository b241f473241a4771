package io.clpipe.learner.engine.schedule;

/**
 * A schedule that starts with a linear warmup η_max·t/T_w and restarts from a new warmup at each
 * boundary (Gupta et al. 2023: re-warm, then re-decay).
 */
public sealed interface RewarmingSchedule extends LrSchedule permits WarmupDecay, Constant, Wsd, Power {

    /** η_max of the first warmup. */
    double peak();

    /** T_w of the first warmup. */
    long warmup();

    /** η_max a boundary re-warms to. */
    double rewarmPeak();

    /** Warmup length after a boundary (0: the new peak applies at once). */
    long rewarmSteps();

    /** The rate once the warmup at {@code position} is over. */
    double afterWarmup(SchedulePosition position);

    @Override
    default SchedulePosition start() {
        return SchedulePosition.start(peak(), warmup());
    }

    @Override
    default double rate(SchedulePosition position) {
        return position.step() < position.warmup()
                ? position.peak() * position.step() / position.warmup()
                : afterWarmup(position);
    }

    @Override
    default SchedulePosition onBoundary(SchedulePosition position) {
        return position.rewarm(rewarmPeak(), rewarmSteps());
    }
}
