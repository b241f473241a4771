package io.clpipe.learner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.learner.engine.optim.GlobalNormClipper;
import io.clpipe.learner.engine.optim.Optimizer;
import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.learner.engine.replay.ReplayConfig;
import io.clpipe.learner.engine.replay.ReplayPolicy;
import io.clpipe.learner.engine.schedule.WarmupDecay;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.Models;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.memory.AllocationsTracker;
import org.nd4j.linalg.api.memory.enums.AllocationKind;

/**
 * Optimizer updates and whole learner steps allocate no ND4J buffers (each costs ~65 µs, docs/benchmarks.md);
 * measured as allocation counts, not time.
 */
class AllocationFreeStepTest {

    private static final ModelSpec.Mlp SPEC = new ModelSpec.Mlp(TestModels.DIM, new int[] {32}, TestModels.CLASSES, 64);

    private static long nativeBytes() {
        return AllocationsTracker.getInstance().bytesOnDevice(AllocationKind.GENERAL, 0);
    }

    private static long heapBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void optimizerUpdatesAllocateNoNativeBuffers() {
        for (OptimizerSpec spec : List.of(OptimizerSpec.Sgd.momentum(0.9), new OptimizerSpec.Sgd(0.9, true, 1e-4),
                OptimizerSpec.AdamW.defaults())) {
            try (Model model = Models.create(SPEC, 1)) {
                Optimizer optimizer = spec.create(model.parameterCount());
                GlobalNormClipper clipper = new GlobalNormClipper(0.5);
                Runnable step = () -> {
                    double norm = GlobalNormClipper.norm(model.gradients());
                    clipper.clip(model.gradients(), norm);
                    optimizer.step(model.parameters(), model.gradients(), 0.01);
                };
                model.gradients().assign(1);
                for (int i = 0; i < 100; i++) {
                    step.run();
                }
                long before = nativeBytes();
                long heapBefore = heapBytes();
                for (int i = 0; i < 200; i++) {
                    step.run();
                }
                System.out.printf("%s: %d heap bytes per update%n", spec, (heapBytes() - heapBefore) / 200);
                assertThat(nativeBytes()).as("%s: ND4J bytes after 200 updates", spec).isEqualTo(before);
            }
        }
    }

    @Test
    void learnerStepsAllocateNoNativeBuffersAndNothingPerSample() {
        // Same depth (the per-op objects are per layer, not per sample), and both shapes run once before either is
        // measured, so that neither is measured with colder compiled code than the other.
        learnerHeapPerStep(16, new int[] {16, 16});
        learnerHeapPerStep(64, new int[] {64, 64});
        long small = learnerHeapPerStep(16, new int[] {16, 16});
        long large = learnerHeapPerStep(64, new int[] {64, 64});
        System.out.printf("learner step heap bytes: %d at batch 16, %d at batch 64 with a larger model%n", small, large);
        // What remains is ND4J's per-op Java objects (op descriptors, JavaCPP pointers) and a few records.
        assertThat(large - small).as("heap bytes that grow with batch or model size").isLessThan(1024);
        assertThat(large).isLessThan(16_384);
    }

    /** Heap bytes per learner step; fails if a step allocates an ND4J buffer. */
    private static long learnerHeapPerStep(int batch, int[] hidden) {
        ModelSpec.Mlp spec = new ModelSpec.Mlp(TestModels.DIM, hidden, TestModels.CLASSES, batch);
        LearnerConfig config = LearnerConfig.defaults().withBatchSize(batch).withOptimizer(OptimizerSpec.AdamW.defaults())
                .withSchedule(WarmupDecay.cosine(0.01, 0.001, 10, 1000)).withClipNorm(1)
                .withReplay(ReplayConfig.of(ReplayPolicy.CLASS_BALANCED, 500, 0.25).withLossWeights(0.3, 0.7))
                .withReptile(new ReptileConfig(10, 0.1)).withGuard(new GuardConfig(0.5, 10));
        List<List<Sample>> stream = TestModels.stream(400, config.newPerStep(), 3);
        try (ContinualLearner learner = ContinualLearner.create(spec, config, DivergenceListener.ignore())) {
            for (int i = 0; i < 200; i++) {
                learner.step(stream.get(i));
            }
            long nativeBefore = nativeBytes();
            long heapBefore = heapBytes();
            for (int i = 200; i < 400; i++) {
                learner.step(stream.get(i));
            }
            long heapPerStep = (heapBytes() - heapBefore) / 200;
            assertThat(nativeBytes()).as("ND4J bytes after 200 learner steps at batch %d", batch).isEqualTo(nativeBefore);
            return heapPerStep;
        }
    }
}
