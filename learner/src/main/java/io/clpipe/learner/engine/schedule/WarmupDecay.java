package io.clpipe.learner.engine.schedule;

/**
 * Linear warmup, then a decay from η_max to η_min over the planned T steps, η = η_min + (η_max −
 * η_min)·f(z) with z = (t − T_w)/(T − T_w), held at η_min after T. A boundary re-warms to
 * {@code rewarmPeak} over {@code rewarmSteps} and decays again over T.
 */
public record WarmupDecay(Shape shape, double peak, double floor, long warmup, long total,
                          double rewarmPeak, long rewarmSteps) implements RewarmingSchedule {

    /** The decay curve f(z), from 1 at z = 0 to 0 at z = 1. */
    public enum Shape {
        /** f = ½(1 + cos πz). */
        COSINE,
        /** f = 1 − z. */
        LINEAR,
        /** REX: f = (1 − z)/(1 − z/2). */
        REX;

        double fraction(double z) {
            return switch (this) {
                case COSINE -> 0.5 * (1 + Math.cos(Math.PI * z));
                case LINEAR -> 1 - z;
                case REX -> (1 - z) / (1 - z / 2);
            };
        }
    }

    public WarmupDecay {
        if (shape == null || !(peak > 0) || !Double.isFinite(peak) || !(floor >= 0) || floor > peak || warmup < 0
                || total <= 0 || warmup > total) {
            throw new IllegalArgumentException("schedule needs 0 <= floor <= peak, 0 <= warmup <= total, total > 0;"
                    + " got peak=" + peak + " floor=" + floor + " warmup=" + warmup + " total=" + total);
        }
        LrSchedule.checkRewarm(rewarmPeak, rewarmSteps);
    }

    /** Warmup + cosine; re-warms to the same peak over 1% of {@code total}. */
    public static WarmupDecay cosine(double peak, double floor, long warmup, long total) {
        return of(Shape.COSINE, peak, floor, warmup, total);
    }

    public static WarmupDecay linear(double peak, double floor, long warmup, long total) {
        return of(Shape.LINEAR, peak, floor, warmup, total);
    }

    public static WarmupDecay rex(double peak, double floor, long warmup, long total) {
        return of(Shape.REX, peak, floor, warmup, total);
    }

    private static WarmupDecay of(Shape shape, double peak, double floor, long warmup, long total) {
        return new WarmupDecay(shape, peak, floor, warmup, total, peak, LrSchedule.defaultRewarmSteps(total));
    }

    public WarmupDecay withRewarm(double newRewarmPeak, long newRewarmSteps) {
        return new WarmupDecay(shape, peak, floor, warmup, total, newRewarmPeak, newRewarmSteps);
    }

    @Override
    public double afterWarmup(SchedulePosition p) {
        long span = total - p.warmup();
        double z = span <= 0 ? 1 : Math.min(1, Math.max(0, (double) (p.step() - p.warmup()) / span));
        return floor + (p.peak() - floor) * shape.fraction(z);
    }
}
