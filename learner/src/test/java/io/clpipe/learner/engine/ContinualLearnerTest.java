package io.clpipe.learner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.learner.engine.replay.ReplayConfig;
import io.clpipe.learner.engine.replay.ReplayPolicy;
import io.clpipe.learner.engine.schedule.Constant;
import io.clpipe.learner.engine.schedule.Infinite;
import io.clpipe.learner.engine.schedule.WarmupDecay;
import io.clpipe.models.Batch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContinualLearnerTest {

    private static final int DIM = 8;
    private final Blobs blobs = new Blobs(DIM, 4, 77);

    private static double accuracy(SoftmaxRegression model, List<Sample> samples) {
        float[] f = new float[samples.size() * DIM];
        int[] l = new int[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            samples.get(i).copyFeaturesTo(f, i * DIM);
            l[i] = samples.get(i).label();
        }
        return model.evaluate(Batch.of(f, l)).accuracy();
    }

    @Test
    void learnsASeparableTask() {
        try (SoftmaxRegression model = new SoftmaxRegression(DIM, 4, 32, 1)) {
            ContinualLearner learner = new ContinualLearner(model,
                    LearnerConfig.defaults().withBatchSize(32).withSchedule(WarmupDecay.cosine(0.2, 0.02, 10, 150)));
            List<Sample> test = blobs.draw(400, new int[] {0, 1, 2, 3}, 0);
            double before = accuracy(model, test);
            double firstLoss = learner.step(blobs.draw(32, new int[] {0, 1, 2, 3}, 0)).loss();
            for (int i = 1; i < 150; i++) {
                learner.step(blobs.draw(32, new int[] {0, 1, 2, 3}, 0));
            }
            assertThat(learner.iteration()).isEqualTo(150);
            assertThat(learner.lastLoss()).isLessThan(firstLoss / 3);
            assertThat(accuracy(model, test)).isGreaterThan(0.95).isGreaterThan(before);
            assertThat(learner.seenTasks()).containsExactly(0);
        }
    }

    @Test
    void boundaryRewarmsTheScheduleAndCanResetTheOptimizer() {
        try (SoftmaxRegression model = new SoftmaxRegression(DIM, 4, 32, 1)) {
            ContinualLearner learner = new ContinualLearner(model, LearnerConfig.defaults().withBatchSize(32)
                    .withSchedule(WarmupDecay.cosine(0.2, 0.02, 5, 100).withRewarm(0.1, 4)).withResetOptimizerOnBoundary(true));
            for (int i = 0; i < 100; i++) {
                learner.step(blobs.draw(32, new int[] {0, 1}, 0));
            }
            assertThat(learner.learningRate()).isCloseTo(0.02, within(1e-12));
            learner.onBoundary(1);
            // the re-warm's first step runs at η_max·1/T_w = 0.025 and moves the weights (it used to run at 0)
            assertThat(learner.learningRate()).isCloseTo(0.025, within(1e-12));
            for (float[] v : learner.state(java.util.Map.of()).optimizer().vectors()) {
                assertThat(v).containsOnly(0f);
            }
            float[] atBoundary = model.parametersToArray();
            StepResult first = learner.step(blobs.draw(32, new int[] {2, 3}, 1));
            assertThat(first.learningRate()).isCloseTo(0.025, within(1e-12));
            assertThat(model.parametersToArray()).isNotEqualTo(atBoundary);
            assertThat(learner.step(blobs.draw(32, new int[] {2, 3}, 1)).learningRate()).isCloseTo(0.05, within(1e-12));
            learner.step(blobs.draw(32, new int[] {2, 3}, 1));
            assertThat(learner.learningRate()).isCloseTo(0.1, within(1e-12));
            learner.step(blobs.draw(32, new int[] {2, 3}, 1));
            assertThat(learner.learningRate()).isCloseTo(0.1, within(1e-12));
            assertThat(learner.seenTasks()).containsExactly(0, 1);
            assertThat(learner.currentTask()).isEqualTo(1);
        }
    }

    @Test
    void infiniteScheduleHoldsItsRateAcrossBoundariesAndAnnealsOnRequest() {
        Infinite schedule = new Infinite(0.2, 0.05, 0.005, 2, 4, Infinite.Cooldown.COSINE, 0, 3);
        try (SoftmaxRegression model = new SoftmaxRegression(DIM, 4, 32, 1)) {
            ContinualLearner learner = new ContinualLearner(model, LearnerConfig.defaults().withBatchSize(32)
                    .withSchedule(schedule));
            for (int i = 0; i < 10; i++) {
                learner.step(blobs.draw(32, new int[] {0, 1}, 0));
            }
            assertThat(learner.learningRate()).isCloseTo(0.05, within(1e-12));
            learner.onBoundary(1);
            assertThat(learner.learningRate()).isCloseTo(0.05, within(1e-12));
            learner.requestAnneal();
            assertThat(learner.annealed()).isFalse();
            for (int i = 0; i < 3; i++) {
                learner.step(blobs.draw(32, new int[] {2, 3}, 1));
            }
            assertThat(learner.annealed()).isTrue();
            assertThat(learner.learningRate()).isCloseTo(0.005, within(1e-12));
        }
    }

    @Test
    void mixesReplayIntoEachBatchAndKeepsTheBufferBounded() {
        ReplayConfig replay = ReplayConfig.of(ReplayPolicy.CLASS_BALANCED, 64, 0.25).withLossWeights(0.3, 0.7);
        LearnerConfig config = LearnerConfig.defaults().withBatchSize(32).withReplay(replay);
        try (SoftmaxRegression model = new SoftmaxRegression(DIM, 4, 32, 1)) {
            ContinualLearner learner = new ContinualLearner(model, config);
            assertThat(config.newPerStep()).isEqualTo(24);
            StepResult first = learner.step(blobs.draw(24, new int[] {0, 1}, 0));
            assertThat(first.replayed()).isZero();
            StepResult second = learner.step(blobs.draw(24, new int[] {0, 1}, 0));
            assertThat(second.replayed()).isEqualTo(8);
            assertThat(second.fresh()).isEqualTo(24);
            for (int i = 0; i < 40; i++) {
                learner.step(blobs.draw(24, new int[] {2, 3}, 1));
            }
            assertThat(learner.replayBufferSize()).isEqualTo(64);
            assertThat(learner.replayState().groups()).hasSize(4)
                    .allSatisfy(g -> assertThat(g.samples()).hasSize(16));
        }
    }

    @Test
    void sameSeedAndInputGiveBitIdenticalWeights() {
        List<List<Sample>> stream = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            stream.add(blobs.draw(24, new int[] {i % 4, (i + 1) % 4}, i / 10));
        }
        LearnerConfig config = LearnerConfig.defaults().withBatchSize(32)
                .withOptimizer(OptimizerSpec.AdamW.defaults()).withSchedule(Constant.of(0.01))
                .withReplay(ReplayConfig.of(ReplayPolicy.RESERVOIR, 50, 0.25));
        float[] a = run(config, stream);
        float[] b = run(config, stream);
        float[] otherSeed = run(config.withSeed(7), stream);
        assertThat(java.util.Arrays.equals(a, b)).isTrue();
        assertThat(java.util.Arrays.equals(a, otherSeed)).isFalse();
    }

    private static float[] run(LearnerConfig config, List<List<Sample>> stream) {
        try (SoftmaxRegression model = new SoftmaxRegression(DIM, 4, 32, 1)) {
            ContinualLearner learner = new ContinualLearner(model, config);
            stream.forEach(learner::step);
            return model.parametersToArray();
        }
    }

    @Test
    void restoreRefusesStateOfAnotherModelOrOptimizer() {
        LearnerState adamState;
        try (SoftmaxRegression model = new SoftmaxRegression(DIM, 4, 32, 1)) {
            ContinualLearner learner = new ContinualLearner(model,
                    LearnerConfig.defaults().withBatchSize(32).withOptimizer(OptimizerSpec.AdamW.defaults()));
            learner.step(blobs.draw(32, new int[] {0, 1}, 0));
            adamState = learner.state(java.util.Map.of());
        }
        try (SoftmaxRegression model = new SoftmaxRegression(DIM, 4, 32, 1);
             SoftmaxRegression wider = new SoftmaxRegression(DIM, 5, 32, 1)) {
            ContinualLearner sgd = new ContinualLearner(model, LearnerConfig.defaults().withBatchSize(32));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> sgd.restore(adamState))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adamw");
            ContinualLearner other = new ContinualLearner(wider,
                    LearnerConfig.defaults().withBatchSize(32).withOptimizer(OptimizerSpec.AdamW.defaults()));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.restore(adamState))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkpoint is for");
            assertThat(sgd.iteration()).isZero();
        }
    }

    @Test
    void nonFiniteLossRollsBackToTheLastGoodStateAndLowersTheRate() {
        List<DivergenceEvent> events = new ArrayList<>();
        LearnerConfig config = LearnerConfig.defaults().withBatchSize(32).withSchedule(Constant.of(0.1))
                .withGuard(new GuardConfig(0.5, 5)).withReplay(ReplayConfig.of(ReplayPolicy.RESERVOIR, 1000, 0.25));
        try (SoftmaxRegression model = new SoftmaxRegression(DIM, 4, 32, 1)) {
            ContinualLearner learner = new ContinualLearner(model, config, events::add);
            for (int i = 0; i < 5; i++) {
                learner.step(blobs.draw(24, new int[] {0, 1, 2, 3}, 0));
            }
            LearnerState good = learner.state(java.util.Map.of());
            learner.step(blobs.draw(24, new int[] {0, 1, 2, 3}, 0));
            learner.step(blobs.draw(24, new int[] {0, 1, 2, 3}, 0));
            int bufferBefore = learner.replayBufferSize();

            List<Sample> poisoned = new ArrayList<>(blobs.draw(24, new int[] {0}, 0));
            float[] nan = new float[DIM];
            nan[3] = Float.NaN;
            poisoned.set(7, Sample.dense(nan, 0, 0));
            StepResult result = learner.step(poisoned);

            assertThat(result.diverged()).isTrue();
            assertThat(result.iteration()).isEqualTo(8);
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.cause()).isEqualTo(DivergenceEvent.Cause.NON_FINITE_LOSS);
                assertThat(e.iteration()).isEqualTo(8);
                assertThat(e.restoredIteration()).isEqualTo(5);
                assertThat(e.lrScale()).isEqualTo(0.5);
            });
            assertThat(java.util.Arrays.equals(model.parametersToArray(), good.parameters())).isTrue();
            LearnerState after = learner.state(java.util.Map.of());
            assertThat(java.util.Arrays.equals(after.optimizer().vectors().get(0), good.optimizer().vectors().get(0))).isTrue();
            assertThat(after.optimizer().stepCount()).isEqualTo(5);
            assertThat(learner.replayBufferSize()).isEqualTo(bufferBefore);
            assertThat(learner.learningRate()).isCloseTo(0.05, within(1e-12));

            StepResult next = learner.step(blobs.draw(24, new int[] {0, 1, 2, 3}, 0));
            assertThat(next.diverged()).isFalse();
            assertThat(next.learningRate()).isCloseTo(0.05, within(1e-12));
            for (float w : model.parametersToArray()) {
                assertThat(Float.isFinite(w)).isTrue();
            }
        }
    }

    @Test
    void nonFiniteGradientIsNeverApplied() {
        List<DivergenceEvent> events = new ArrayList<>();
        try (SoftmaxRegression model = new SoftmaxRegression(DIM, 4, 32, 1)) {
            ContinualLearner learner = new ContinualLearner(model,
                    LearnerConfig.defaults().withBatchSize(32).withGuard(new GuardConfig(0.25, 1)), events::add);
            learner.step(blobs.draw(32, new int[] {0, 1}, 0));
            float[] before = model.parametersToArray();
            model.poisonGradients(2);
            assertThat(learner.step(blobs.draw(32, new int[] {0, 1}, 0)).diverged()).isTrue();
            assertThat(learner.step(blobs.draw(32, new int[] {0, 1}, 0)).diverged()).isTrue();
            assertThat(java.util.Arrays.equals(model.parametersToArray(), before)).isTrue();
            assertThat(events).hasSize(2).allSatisfy(e -> {
                assertThat(e.cause()).isEqualTo(DivergenceEvent.Cause.NON_FINITE_GRADIENT);
                assertThat(Double.isFinite(e.loss())).isTrue();
                assertThat(e.restoredIteration()).isEqualTo(1);
            });
            assertThat(events.get(1).lrScale()).isEqualTo(0.0625);
            assertThat(learner.step(blobs.draw(32, new int[] {0, 1}, 0)).diverged()).isFalse();
        }
    }
}
