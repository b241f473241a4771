package io.clpipe.learner.engine.schedule;

/**
 * Power schedule: linear warmup, then η = min(η_max, a·n^b) with n the samples trained on since the
 * (re)start (b ≈ −0.5). It needs no planned length; a boundary restarts n and re-warms to
 * {@code rewarmPeak} over {@code rewarmSteps}.
 */
public record Power(double peak, double a, double b, long warmup, double rewarmPeak, long rewarmSteps)
        implements RewarmingSchedule {

    public Power {
        if (!(peak > 0) || !Double.isFinite(peak) || !(a > 0) || !(b < 0) || warmup < 0) {
            throw new IllegalArgumentException("power schedule needs peak > 0, a > 0, b < 0, warmup >= 0");
        }
        LrSchedule.checkRewarm(rewarmPeak, rewarmSteps);
    }

    /** Re-warms to the same peak over the same warmup. */
    public static Power of(double peak, double a, double b, long warmup) {
        return new Power(peak, a, b, warmup, peak, warmup);
    }

    @Override
    public double afterWarmup(SchedulePosition p) {
        return p.samples() == 0 ? p.peak() : Math.min(p.peak(), a * Math.pow(p.samples(), b));
    }
}
