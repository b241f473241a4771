package io.clpipe.learner.service;

import io.clpipe.learner.engine.GuardConfig;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.ReptileConfig;
import io.clpipe.learner.engine.optim.GlobalNormClipper;
import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.learner.engine.replay.ReplayConfig;
import io.clpipe.learner.engine.replay.ReplayPolicy;
import io.clpipe.learner.engine.schedule.Constant;
import io.clpipe.learner.engine.schedule.Infinite;
import io.clpipe.learner.engine.schedule.LrSchedule;
import io.clpipe.learner.engine.schedule.Power;
import io.clpipe.learner.engine.schedule.WarmupDecay;
import io.clpipe.learner.engine.schedule.Wsd;
import java.util.Locale;

/**
 * The engine's {@link LearnerConfig} from flat settings (CLI options, environment, a properties file).
 * Every setting has the engine's default; see {@link LearnerServiceConfig#fromProperties} for the keys.
 */
final class LearnerConfigProperties {

    private LearnerConfigProperties() {
    }

    static LearnerConfig read(PropertyReader p) {
        LearnerConfig d = LearnerConfig.defaults();
        double lr = p.decimal("lr", 0.01);
        ReplayConfig replay = replay(p);
        ReptileConfig reptile = new ReptileConfig(p.integer("reptile.every", 0), p.decimal("reptile.epsilon", 0.1));
        GuardConfig guard = new GuardConfig(p.decimal("guard.lr.factor", GuardConfig.defaults().lrFactor()),
                p.integer("guard.snapshot.every", GuardConfig.defaults().snapshotEvery()));
        return new LearnerConfig(p.longValue("seed", d.seed()), p.integer("batch.size", d.batchSize()), optimizer(p),
                schedule(p, lr), new GlobalNormClipper(p.decimal("clip.norm", 0)),
                p.bool("reset.optimizer.on.boundary", false), replay, reptile, guard);
    }

    private static OptimizerSpec optimizer(PropertyReader p) {
        String kind = p.string("optimizer", "sgd").toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "sgd" -> new OptimizerSpec.Sgd(p.decimal("momentum", 0.9), p.bool("nesterov", false),
                    p.decimal("weight.decay", 0));
            case "adamw" -> new OptimizerSpec.AdamW(p.decimal("adamw.beta1", 0.9), p.decimal("adamw.beta2", 0.999),
                    p.decimal("adamw.epsilon", 1e-8), p.decimal("weight.decay", 0.01));
            default -> throw PropertyReader.bad("optimizer", kind, "sgd or adamw");
        };
    }

    private static LrSchedule schedule(PropertyReader p, double lr) {
        String kind = p.string("schedule", "constant").toLowerCase(Locale.ROOT);
        long warmup = p.longValue("warmup.steps", 0);
        double floor = p.decimal("lr.floor", 0.1 * lr);
        double rewarmPeak = p.decimal("rewarm.lr", lr);
        return switch (kind) {
            case "constant" -> new Constant(lr, warmup, rewarmPeak, p.longValue("rewarm.steps", 0));
            case "cosine", "linear", "rex" -> {
                long total = required(p, "total.steps", kind);
                WarmupDecay.Shape shape = WarmupDecay.Shape.valueOf(kind.toUpperCase(Locale.ROOT));
                yield new WarmupDecay(shape, lr, floor, warmup, total, rewarmPeak,
                        p.longValue("rewarm.steps", LrSchedule.defaultRewarmSteps(total)));
            }
            case "wsd" -> {
                long total = required(p, "total.steps", kind);
                yield new Wsd(lr, floor, warmup, total, p.decimal("wsd.decay.fraction", 0.1), rewarmPeak,
                        p.longValue("rewarm.steps", LrSchedule.defaultRewarmSteps(total)));
            }
            case "power" -> {
                if (!p.has("power.a")) {
                    throw new IllegalArgumentException("schedule power needs power.a (η = min(lr, a·n^b))");
                }
                yield new Power(lr, p.decimal("power.a", 0), p.decimal("power.b", -0.5), warmup, rewarmPeak,
                        p.longValue("rewarm.steps", warmup));
            }
            case "infinite" -> {
                if (!p.has("infinite.constant")) {
                    throw new IllegalArgumentException("schedule infinite needs infinite.constant (η_const)");
                }
                String shape = p.string("infinite.cooldown", "cosine").toUpperCase(Locale.ROOT).replace('-', '_');
                yield new Infinite(lr, p.decimal("infinite.constant", 0), floor, warmup,
                        p.longValue("infinite.cooldown.steps", 0), Infinite.Cooldown.valueOf(shape),
                        p.decimal("infinite.alpha", 0), required(p, "infinite.anneal.steps", kind));
            }
            default -> throw PropertyReader.bad("schedule", kind, "constant, cosine, linear, rex, wsd, power or infinite");
        };
    }

    private static ReplayConfig replay(PropertyReader p) {
        String policy = p.string("replay.policy", "none").toUpperCase(Locale.ROOT).replace('-', '_');
        ReplayPolicy replayPolicy;
        try {
            replayPolicy = ReplayPolicy.valueOf(policy);
        } catch (IllegalArgumentException e) {
            throw PropertyReader.bad("replay.policy", policy, "none, reservoir, class-balanced, task-balanced or past");
        }
        if (replayPolicy == ReplayPolicy.NONE) {
            return ReplayConfig.none();
        }
        ReplayConfig replay = ReplayConfig.of(replayPolicy, p.integer("replay.capacity", 2000), p.decimal("replay.fraction", 0.5));
        double[] weights = p.decimals("replay.loss.weights", 2);
        return weights == null ? replay : replay.withLossWeights(weights[0], weights[1]);
    }

    private static long required(PropertyReader p, String key, String schedule) {
        if (!p.has(key)) {
            throw new IllegalArgumentException("schedule " + schedule + " needs " + key);
        }
        return p.longValue(key, 0);
    }
}
