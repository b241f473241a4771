package io.clpipe.learner.engine.schedule;

/**
 * Optional linear warmup, then η_max forever. A boundary re-warms (to {@code rewarmPeak} over
 * {@code rewarmSteps}; zero steps means the new peak applies at once).
 */
public record Constant(double peak, long warmup, double rewarmPeak, long rewarmSteps) implements RewarmingSchedule {

    public Constant {
        if (!(peak > 0) || !Double.isFinite(peak) || warmup < 0) {
            throw new IllegalArgumentException("constant schedule needs a positive peak and warmup >= 0");
        }
        LrSchedule.checkRewarm(rewarmPeak, rewarmSteps);
    }

    public static Constant of(double rate) {
        return new Constant(rate, 0, rate, 0);
    }

    @Override
    public double afterWarmup(SchedulePosition p) {
        return p.peak();
    }
}
