package io.clpipe.learner.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.learner.engine.ContinualLearner;
import io.clpipe.learner.engine.GuardConfig;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.ReptileConfig;
import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.engine.TestModels;
import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.learner.engine.replay.ReplayConfig;
import io.clpipe.learner.engine.replay.ReplayPolicy;
import io.clpipe.learner.engine.schedule.WarmupDecay;
import io.clpipe.learner.engine.schedule.Wsd;
import io.clpipe.models.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Train N steps, checkpoint to disk, restore in fresh objects, train M more: the same bits as N+M straight. */
class CheckpointResumeTest {

    private static final int N = 23;
    private static final int M = 20;
    private static final int BOUNDARY_AT = 15;

    @TempDir
    Path dir;

    @Test
    void adamWWithClassBalancedReplayReptileAndRewarmResumesBitIdentically() throws Exception {
        LearnerConfig config = LearnerConfig.defaults().withSeed(1234).withBatchSize(32)
                .withOptimizer(OptimizerSpec.AdamW.defaults())
                .withSchedule(WarmupDecay.cosine(0.05, 0.005, 4, 30))
                .withClipNorm(1.0)
                .withReplay(ReplayConfig.of(ReplayPolicy.CLASS_BALANCED, 60, 0.25).withLossWeights(0.3, 0.7))
                .withReptile(new ReptileConfig(7, 0.3))
                .withGuard(new GuardConfig(0.5, 3));
        assertResumesExactly(config, TestModels::softmaxRegression);
    }

    @Test
    void nesterovSgdWithReservoirResumesBitIdentically() throws Exception {
        LearnerConfig config = LearnerConfig.defaults().withSeed(99).withBatchSize(32)
                .withOptimizer(new OptimizerSpec.Sgd(0.9, true, 1e-4))
                .withSchedule(WarmupDecay.cosine(0.1, 0.01, 3, 40))
                .withResetOptimizerOnBoundary(true)
                .withReplay(ReplayConfig.of(ReplayPolicy.RESERVOIR, 40, 0.5));
        assertResumesExactly(config, TestModels::softmaxRegression);
    }

    @Test
    void realMlpWithAdamWReplayAndReptileResumesBitIdentically() throws Exception {
        LearnerConfig config = LearnerConfig.defaults().withSeed(5).withBatchSize(48)
                .withOptimizer(OptimizerSpec.AdamW.defaults())
                .withSchedule(WarmupDecay.rex(0.01, 0.001, 5, 40))
                .withClipNorm(5)
                .withReplay(ReplayConfig.of(ReplayPolicy.TASK_BALANCED, 100, 0.25).withLossWeights(0.3, 0.7))
                .withReptile(new ReptileConfig(6, 0.1));
        assertResumesExactly(config, TestModels::mlp, dir, TestModels.stream(N + M, config.newPerStep(), 5));
    }

    @Test
    void realByteLanguageModelWithSgdAndReservoirResumesBitIdentically() throws Exception {
        LearnerConfig config = LearnerConfig.defaults().withSeed(8).withBatchSize(64)
                .withOptimizer(OptimizerSpec.Sgd.momentum(0.9))
                .withSchedule(Wsd.of(0.05, 0.005, 3, 40))
                .withReplay(ReplayConfig.of(ReplayPolicy.RESERVOIR, 200, 0.25));
        assertResumesExactly(config, TestModels::byteLm, dir, TestModels.byteStream(N + M, config.newPerStep(), 6));
    }

    @Test
    void byteLanguageModelWithPastReplayResumesBitIdentically() throws Exception {
        LearnerConfig config = LearnerConfig.defaults().withSeed(11).withBatchSize(64)
                .withOptimizer(OptimizerSpec.AdamW.defaults())
                .withSchedule(WarmupDecay.cosine(0.05, 0.005, 3, 40))
                .withReplay(ReplayConfig.of(ReplayPolicy.PAST, 200, 0.25));
        assertResumesExactly(config, TestModels::byteLm, dir, TestModels.byteStream(N + M, config.newPerStep(), 6));
    }

    @Test
    void byteTransformerWithAdamWAndPastReplayResumesBitIdentically() throws Exception {
        LearnerConfig config = LearnerConfig.defaults().withSeed(13).withBatchSize(16)
                .withOptimizer(OptimizerSpec.AdamW.defaults())
                .withSchedule(WarmupDecay.cosine(0.01, 0.001, 3, 40))
                .withClipNorm(1.0)
                .withReplay(ReplayConfig.of(ReplayPolicy.PAST, 100, 0.25));
        assertResumesExactly(config, TestModels::byteTransformer, dir, TestModels.byteStream(N + M, config.newPerStep(), 7));
    }

    @Test
    void mlpWithPastReplayResumesBitIdentically() throws Exception {
        LearnerConfig config = LearnerConfig.defaults().withSeed(12).withBatchSize(48)
                .withReplay(ReplayConfig.of(ReplayPolicy.PAST, 100, 0.25).withLossWeights(0.3, 0.7));
        assertResumesExactly(config, TestModels::mlp, dir, TestModels.stream(N + M, config.newPerStep(), 5));
    }

    static void assertResumesExactly(LearnerConfig config, LongFunction<Model> models, Path dir,
                                     List<List<Sample>> stream) throws Exception {

        float[] straight;
        LearnerState straightState;
        try (Model model = models.apply(config.modelSeed())) {
            ContinualLearner learner = new ContinualLearner(model, config);
            for (int i = 0; i < N + M; i++) {
                feed(learner, stream, i);
            }
            straight = model.parametersToArray();
            straightState = learner.state(Map.of());
        }

        Path file = dir.resolve("learner.ckpt");
        float[] atCheckpoint;
        try (Model model = models.apply(config.modelSeed())) {
            ContinualLearner learner = new ContinualLearner(model, config);
            for (int i = 0; i < N; i++) {
                feed(learner, stream, i);
            }
            atCheckpoint = model.parametersToArray();
            write(file, learner.state(Map.of("offset.clpipe.train-0", String.valueOf(N))));
        }
        assertThat(Arrays.equals(atCheckpoint, straight)).as("the last M steps changed the weights").isFalse();

        float[] resumed;
        LearnerState resumedState;
        // a different init seed: everything must come from the checkpoint
        try (Model model = models.apply(config.modelSeed() + 1)) {
            ContinualLearner learner = new ContinualLearner(model, config);
            LearnerState loaded = read(file);
            assertThat(loaded.callerData()).containsEntry("offset.clpipe.train-0", String.valueOf(N));
            learner.restore(loaded);
            assertThat(learner.iteration()).isEqualTo(N);
            for (int i = N; i < N + M; i++) {
                feed(learner, stream, i);
            }
            resumed = model.parametersToArray();
            resumedState = learner.state(Map.of());
        }

        assertThat(Arrays.equals(resumed, straight)).as("weights bit-identical").isTrue();
        for (int v = 0; v < straightState.optimizer().vectors().size(); v++) {
            assertThat(Arrays.equals(resumedState.optimizer().vectors().get(v), straightState.optimizer().vectors().get(v)))
                    .as("optimizer vector %d", v).isTrue();
        }
        assertThat(resumedState.rng()).containsExactly(straightState.rng());
        assertThat(resumedState.schedule()).isEqualTo(straightState.schedule());
        assertThat(resumedState.seenTasks()).containsExactly(straightState.seenTasks());
        assertThat(resumedState.replay().size()).isEqualTo(straightState.replay().size());
        if (straightState.reptileAnchor() != null) {
            assertThat(Arrays.equals(resumedState.reptileAnchor(), straightState.reptileAnchor())).isTrue();
        }
    }

    private void assertResumesExactly(LearnerConfig config, LongFunction<Model> models) throws Exception {
        assertResumesExactly(config, models, dir, TestModels.stream(N + M, config.newPerStep(), 5));
    }

    private static void feed(ContinualLearner learner, List<List<Sample>> stream, int i) {
        if (i == BOUNDARY_AT) {
            learner.onBoundary(1);
        }
        learner.step(stream.get(i));
    }

    /** A checkpoint as the directory store keeps it: the codec's bytes in a file. */
    private static void write(Path file, LearnerState state) throws IOException {
        Files.write(file, CheckpointCodec.encode(state));
    }

    private static LearnerState read(Path file) throws IOException {
        return CheckpointCodec.decode(file.toString(), Files.readAllBytes(file));
    }
}
