package io.clpipe.learner.service;

import static io.clpipe.learner.service.LearnerSettings.*;

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
 * The keys and their defaults are declared in {@link LearnerSettings}.
 */
final class LearnerConfigProperties {

    private LearnerConfigProperties() {
    }

    static LearnerConfig read(PropertyReader p) {
        double lr = p.get(LR);
        ReplayConfig replay = replay(p);
        ReptileConfig reptile = new ReptileConfig(p.get(REPTILE_EVERY), p.get(REPTILE_EPSILON));
        GuardConfig guard = new GuardConfig(p.get(GUARD_LR_FACTOR), p.get(GUARD_SNAPSHOT_EVERY));
        return new LearnerConfig(p.get(SEED), p.get(BATCH_SIZE), optimizer(p), schedule(p, lr),
                new GlobalNormClipper(p.get(CLIP_NORM)), p.get(RESET_OPTIMIZER), replay, reptile, guard);
    }

    private static OptimizerSpec optimizer(PropertyReader p) {
        String kind = p.get(OPTIMIZER).toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "sgd" -> new OptimizerSpec.Sgd(p.get(MOMENTUM), p.get(NESTEROV), p.get(WEIGHT_DECAY, 0.0));
            case "adamw" -> new OptimizerSpec.AdamW(p.get(ADAMW_BETA1), p.get(ADAMW_BETA2), p.get(ADAMW_EPSILON),
                    p.get(WEIGHT_DECAY, 0.01));
            default -> throw PropertyReader.bad(OPTIMIZER, kind);
        };
    }

    private static LrSchedule schedule(PropertyReader p, double lr) {
        String kind = p.get(SCHEDULE).toLowerCase(Locale.ROOT);
        long warmup = p.get(WARMUP_STEPS);
        double floor = p.get(LR_FLOOR, 0.1 * lr);
        double rewarmPeak = p.get(REWARM_LR, lr);
        return switch (kind) {
            case "constant" -> new Constant(lr, warmup, rewarmPeak, p.get(REWARM_STEPS, 0L));
            case "cosine", "linear", "rex" -> {
                long total = required(p, TOTAL_STEPS, kind);
                WarmupDecay.Shape shape = WarmupDecay.Shape.valueOf(kind.toUpperCase(Locale.ROOT));
                yield new WarmupDecay(shape, lr, floor, warmup, total, rewarmPeak,
                        p.get(REWARM_STEPS, LrSchedule.defaultRewarmSteps(total)));
            }
            case "wsd" -> {
                long total = required(p, TOTAL_STEPS, kind);
                yield new Wsd(lr, floor, warmup, total, p.get(WSD_DECAY_FRACTION), rewarmPeak,
                        p.get(REWARM_STEPS, LrSchedule.defaultRewarmSteps(total)));
            }
            case "power" -> {
                if (!p.has(POWER_A)) {
                    throw new IllegalArgumentException("schedule power needs power.a (η = min(lr, a·n^b))");
                }
                yield new Power(lr, p.get(POWER_A, 0.0), p.get(POWER_B), warmup, rewarmPeak, p.get(REWARM_STEPS, warmup));
            }
            case "infinite" -> {
                if (!p.has(INFINITE_CONSTANT)) {
                    throw new IllegalArgumentException("schedule infinite needs infinite.constant (η_const)");
                }
                String shape = p.get(INFINITE_COOLDOWN).toUpperCase(Locale.ROOT).replace('-', '_');
                yield new Infinite(lr, p.get(INFINITE_CONSTANT, 0.0), floor, warmup, p.get(INFINITE_COOLDOWN_STEPS),
                        Infinite.Cooldown.valueOf(shape), p.get(INFINITE_ALPHA), required(p, INFINITE_ANNEAL_STEPS, kind));
            }
            default -> throw PropertyReader.bad(SCHEDULE, kind);
        };
    }

    private static ReplayConfig replay(PropertyReader p) {
        String policy = p.get(REPLAY_POLICY).toUpperCase(Locale.ROOT).replace('-', '_');
        ReplayPolicy replayPolicy;
        try {
            replayPolicy = ReplayPolicy.valueOf(policy);
        } catch (IllegalArgumentException e) {
            throw PropertyReader.bad(REPLAY_POLICY, policy);
        }
        if (replayPolicy == ReplayPolicy.NONE) {
            return ReplayConfig.none();
        }
        ReplayConfig replay = ReplayConfig.of(replayPolicy, p.get(REPLAY_CAPACITY), p.get(REPLAY_FRACTION));
        double[] weights = p.decimals(REPLAY_LOSS_WEIGHTS.key(), 2);
        return weights == null ? replay : replay.withLossWeights(weights[0], weights[1]);
    }

    private static long required(PropertyReader p, io.clpipe.schemas.Setting<Long> setting, String schedule) {
        if (!p.has(setting)) {
            throw new IllegalArgumentException("schedule " + schedule + " needs " + setting.key());
        }
        return p.get(setting, 0L);
    }
}
