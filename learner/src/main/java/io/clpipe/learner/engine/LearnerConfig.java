package io.clpipe.learner.engine;

import io.clpipe.learner.engine.optim.GlobalNormClipper;
import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.learner.engine.replay.ReplayConfig;
import io.clpipe.learner.engine.schedule.Constant;
import io.clpipe.learner.engine.schedule.LrSchedule;

/**
 * Everything that shapes training, apart from the model.
 *
 * @param seed                     drives replay sampling and buffer decisions (and, through
 *                                 {@link #modelSeed()}, the model's initialisation)
 * @param batchSize                B: samples per step, new plus replayed
 * @param optimizer                SGD (momentum, Nesterov) or AdamW
 * @param schedule                 learning-rate schedule, with its re-warm behaviour
 * @param clipping                 global gradient-norm clipping
 * @param resetOptimizerOnBoundary forget optimizer state at each boundary
 * @param replay                   buffer policy, capacity, replay fraction and loss weights
 * @param reptile                  MER / Reptile interpolation
 * @param guard                    divergence guard
 */
public record LearnerConfig(long seed, int batchSize, OptimizerSpec optimizer, LrSchedule schedule,
                            GlobalNormClipper clipping, boolean resetOptimizerOnBoundary,
                            ReplayConfig replay, ReptileConfig reptile, GuardConfig guard) {

    public LearnerConfig {
        if (batchSize <= 0 || optimizer == null || schedule == null || clipping == null || replay == null
                || reptile == null || guard == null) {
            throw new IllegalArgumentException("learner config needs a positive batch size and every part set");
        }
        if (replay.enabled() && batchSize - replay.replayPerBatch(batchSize) <= 0) {
            throw new IllegalArgumentException("replay fraction " + replay.fraction() + " leaves no new samples in a batch of "
                    + batchSize);
        }
    }

    /** Seed 42, batch 128, SGD momentum 0.9, constant η = 0.01, no clipping, no replay, no Reptile. */
    public static LearnerConfig defaults() {
        return new LearnerConfig(42, 128, OptimizerSpec.Sgd.momentum(0.9), Constant.of(0.01),
                GlobalNormClipper.disabled(), false, ReplayConfig.none(), ReptileConfig.disabled(),
                GuardConfig.defaults());
    }

    /** New samples the caller should hand to each step: B − round(r·B). */
    public int newPerStep() {
        return batchSize - replay.replayPerBatch(batchSize);
    }

    /** Seed for the model's initialisation, derived from {@link #seed()} so that one number drives all. */
    public long modelSeed() {
        return new Xoshiro256(seed ^ 0x6D6F64656CL).nextLong();
    }

    public LearnerConfig withSeed(long v) {
        return new LearnerConfig(v, batchSize, optimizer, schedule, clipping, resetOptimizerOnBoundary, replay, reptile, guard);
    }

    public LearnerConfig withBatchSize(int v) {
        return new LearnerConfig(seed, v, optimizer, schedule, clipping, resetOptimizerOnBoundary, replay, reptile, guard);
    }

    public LearnerConfig withOptimizer(OptimizerSpec v) {
        return new LearnerConfig(seed, batchSize, v, schedule, clipping, resetOptimizerOnBoundary, replay, reptile, guard);
    }

    public LearnerConfig withSchedule(LrSchedule v) {
        return new LearnerConfig(seed, batchSize, optimizer, v, clipping, resetOptimizerOnBoundary, replay, reptile, guard);
    }

    public LearnerConfig withClipNorm(double maxNorm) {
        return new LearnerConfig(seed, batchSize, optimizer, schedule, new GlobalNormClipper(maxNorm),
                resetOptimizerOnBoundary, replay, reptile, guard);
    }

    public LearnerConfig withResetOptimizerOnBoundary(boolean v) {
        return new LearnerConfig(seed, batchSize, optimizer, schedule, clipping, v, replay, reptile, guard);
    }

    public LearnerConfig withReplay(ReplayConfig v) {
        return new LearnerConfig(seed, batchSize, optimizer, schedule, clipping, resetOptimizerOnBoundary, v, reptile, guard);
    }

    public LearnerConfig withReptile(ReptileConfig v) {
        return new LearnerConfig(seed, batchSize, optimizer, schedule, clipping, resetOptimizerOnBoundary, replay, v, guard);
    }

    public LearnerConfig withGuard(GuardConfig v) {
        return new LearnerConfig(seed, batchSize, optimizer, schedule, clipping, resetOptimizerOnBoundary, replay, reptile, v);
    }
}
