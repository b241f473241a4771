package io.clpipe.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.memory.AllocationsTracker;
import org.nd4j.linalg.api.memory.enums.AllocationKind;

/**
 * A training step must not allocate: no new ND4J buffers (each costs ~65 µs here, docs/benchmarks.md) and
 * no Java garbage. Measured as allocation counts, not time.
 */
class AllocationFreeStepTest {

    @Test
    void trainingStepsAllocateNeitherNativeBuffersNorHeap() {
        assertAllocationFree(new ModelSpec.Mlp(64, new int[] {32, 32}, 10, 32), 32);
        assertAllocationFree(new ModelSpec.Mlp(64, new int[] {32, 32}, 10, 32), 7);
        assertAllocationFree(new ModelSpec.ByteLm(8, 4, new int[] {32}, 32), 32);
    }

    private static void assertAllocationFree(ModelSpec spec, int rows) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Model model = Models.create(spec, 1)) {
            Batch batch = SyntheticBatches.forSpec(spec, rows, 2);
            FusedSgdStep fused = (FusedSgdStep) model;
            for (int i = 0; i < 200; i++) {
                model.computeGradients(batch);
                fused.sgdStep(batch, 0.01f);
            }
            long nativeBefore = AllocationsTracker.getInstance().bytesOnDevice(AllocationKind.GENERAL, 0);
            long heapBefore = threads.getCurrentThreadAllocatedBytes();
            int steps = 100;
            for (int i = 0; i < steps; i++) {
                model.computeGradients(batch);
                fused.sgdStep(batch, 0.01f);
            }
            long heapPerStep = (threads.getCurrentThreadAllocatedBytes() - heapBefore) / (2L * steps);
            long nativeAfter = AllocationsTracker.getInstance().bytesOnDevice(AllocationKind.GENERAL, 0);
            System.out.printf("%s batch %d: %d heap bytes per step, native buffer delta %d bytes%n",
                    spec, rows, heapPerStep, nativeAfter - nativeBefore);
            assertThat(nativeAfter).as("ND4J buffer bytes after %d steps", steps).isEqualTo(nativeBefore);
            assertThat(heapPerStep).as("heap bytes allocated per step").isLessThan(64);
        }
    }
}
