package io.clpipe.learner.engine.schedule;

/**
 * A schedule that starts with a linear warmup η_max·(t+1)/T_w (t = 0 … T_w − 1, so the first step of
 * a warmup already learns and step T_w − 1 reaches η_max) and restarts from a new warmup at each
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
                ? warmupRate(position)
                : afterWarmup(position);
    }

    /**
     * The warmup rate at step t &lt; T_w: η_max·(t+1)/T_w. Never 0, so the first step after a start or
     * a re-warm changes the weights (docs/operations.md, "Task boundaries").
     */
    static double warmupRate(SchedulePosition position) {
        return position.peak() * (position.step() + 1) / position.warmup();
    }

    @Override
    default SchedulePosition onBoundary(SchedulePosition position) {
        return position.rewarm(rewarmPeak(), rewarmSteps());
    }
}
