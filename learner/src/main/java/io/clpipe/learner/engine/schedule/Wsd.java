package io.clpipe.learner.engine.schedule;

/**
 * Warmup–stable–decay: linear warmup, η_max until the last {@code decayFraction}·T steps, then a
 * linear decay to η_min at T (held after). Re-warms like {@link WarmupDecay}.
 */
public record Wsd(double peak, double floor, long warmup, long total, double decayFraction,
                  double rewarmPeak, long rewarmSteps) implements RewarmingSchedule {

    public Wsd {
        if (!(peak > 0) || !Double.isFinite(peak) || !(floor >= 0) || floor > peak || warmup < 0 || total <= 0) {
            throw new IllegalArgumentException("WSD needs 0 <= floor <= peak, warmup >= 0, total > 0");
        }
        LrSchedule.checkRewarm(rewarmPeak, rewarmSteps);
        if (!(decayFraction > 0) || decayFraction > 1 || Math.round(decayFraction * total) > total - warmup) {
            throw new IllegalArgumentException("WSD decay fraction must be in (0, 1] and fit after the warmup");
        }
    }

    /** Decays over the last 10% of {@code total}; re-warms to the same peak over 1% of it. */
    public static Wsd of(double peak, double floor, long warmup, long total) {
        return new Wsd(peak, floor, warmup, total, 0.1, peak, LrSchedule.defaultRewarmSteps(total));
    }

    public long decaySteps() {
        return Math.max(1, Math.round(decayFraction * total));
    }

    @Override
    public double afterWarmup(SchedulePosition p) {
        long decayStart = total - decaySteps();
        if (p.step() < decayStart) {
            return p.peak();
        }
        double u = Math.min(1, (double) (p.step() - decayStart) / decaySteps());
        return p.peak() + (floor - p.peak()) * u;
    }
}
