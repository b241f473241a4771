package io.clpipe.learner.engine.schedule;

/**
 * Infinite schedule (Ibrahim et al. 2024): linear warmup to η_max over T_w, cooldown to η_const over
 * T_cd, then η_const with no end. On request it anneals η_const·(η_min/η_const)^(u/T_ann) over T_ann
 * steps and holds η_min, which gives a deployable checkpoint.
 *
 * <p>Boundaries do not re-warm: the position is kept. A boundary during an anneal ends it and returns
 * to η_const, since new data should be learnt at the constant rate. An anneal requested before the
 * constant phase starts from η_const at once (the rest of the cooldown is skipped).
 */
public record Infinite(double peak, double constant, double floor, long warmup, long cooldown,
                       Cooldown shape, double alpha, long annealSteps) implements LrSchedule {

    /** Cooldown shape from η_max to η_const. */
    public enum Cooldown {
        /** η_const + ½(η_max − η_const)(1 + cos(π t′/T_cd)). */
        COSINE,
        /** η_max + (η_const − η_max)·h(t′/T_cd)/h(1), h(x) = 1/√(1 + αx) − 1. */
        INVERSE_SQRT
    }

    public Infinite {
        if (!(peak > 0) || !Double.isFinite(peak) || !(constant > 0) || constant > peak || !(floor > 0)
                || floor > constant || warmup < 0 || cooldown < 0 || annealSteps <= 0 || shape == null) {
            throw new IllegalArgumentException("infinite schedule needs 0 < floor <= constant <= peak,"
                    + " warmup, cooldown >= 0, annealSteps > 0");
        }
        if (shape == Cooldown.INVERSE_SQRT && !(alpha > 0)) {
            throw new IllegalArgumentException("inverse-sqrt cooldown needs alpha > 0");
        }
    }

    @Override
    public SchedulePosition start() {
        return SchedulePosition.start(peak, warmup);
    }

    @Override
    public double rate(SchedulePosition p) {
        if (p.annealing()) {
            double u = Math.min(p.annealStep(), annealSteps);
            return constant * Math.pow(floor / constant, u / annealSteps);
        }
        if (p.step() < p.warmup()) {
            return RewarmingSchedule.warmupRate(p);
        }
        long t = p.step() - p.warmup();
        if (t >= cooldown) {
            return constant;
        }
        double x = (double) t / cooldown;
        return switch (shape) {
            case COSINE -> constant + 0.5 * (peak - constant) * (1 + Math.cos(Math.PI * x));
            case INVERSE_SQRT -> peak + (constant - peak) * h(x) / h(1);
        };
    }

    private double h(double x) {
        return 1 / Math.sqrt(1 + alpha * x) - 1;
    }

    @Override
    public SchedulePosition onBoundary(SchedulePosition p) {
        return p.annealing() ? p.withAnnealStep(-1) : p;
    }

    @Override
    public SchedulePosition requestAnneal(SchedulePosition p) {
        return p.annealing() ? p : p.withAnnealStep(0);
    }

    /** Whether the anneal has reached η_min: the weights now are the deployable checkpoint. */
    public boolean annealed(SchedulePosition p) {
        return p.annealStep() >= annealSteps;
    }
}
