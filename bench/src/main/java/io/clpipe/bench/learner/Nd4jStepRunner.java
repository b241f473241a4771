package io.clpipe.bench.learner;

import io.clpipe.learner.engine.optim.Optimizer;
import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.models.Batch;
import io.clpipe.models.FusedSgdStep;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.Models;
import java.util.SplittableRandom;

/**
 * The ND4J side of the benchmark: MLP 784-256-256-10 from the models module, trained on a pool of
 * synthetic batches (features uniform in [0, 1), uniform labels: the same shape and distribution
 * as bench/torch_mlp.py) with the learner engine's optimizers, or the fused SGD step.
 */
final class Nd4jStepRunner {

    static final int INPUT = 784;
    static final int[] HIDDEN = {256, 256};
    static final int CLASSES = 10;
    private static final int POOL = 8;

    private final long seed;

    Nd4jStepRunner(long seed) {
        this.seed = seed;
    }

    static ModelSpec.Mlp spec(int batch) {
        return new ModelSpec.Mlp(INPUT, HIDDEN, CLASSES, batch);
    }

    /** Floating-point operations of one forward + backward pass (no input delta for the first layer). */
    static double flopsPerStep(int batch) {
        int[] widths = {INPUT, HIDDEN[0], HIDDEN[1], CLASSES};
        double products = 0;
        double inputDeltas = 0;
        for (int l = 1; l < widths.length; l++) {
            products += (double) widths[l - 1] * widths[l];
            if (l > 1) {
                inputDeltas += (double) widths[l - 1] * widths[l];
            }
        }
        return 2.0 * batch * (2 * products + inputDeltas);
    }

    /** Builds a fresh model and optimizer, runs {@code warmup} untimed then {@code steps} timed steps. */
    StepTiming run(int batch, Nd4jVariant variant, int warmup, int steps) {
        Batch[] pool = syntheticPool(batch);
        try (Model model = Models.create(spec(batch), seed)) {
            Optimizer optimizer = optimizerSpec(variant.optimizer()).create(model.parameterCount());
            float lr = variant.optimizer().learningRate();
            for (int i = 0; i < warmup; i++) {
                step(model, optimizer, variant, pool[i % POOL], lr);
            }
            double loss = 0;
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                loss = step(model, optimizer, variant, pool[i % POOL], lr);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("ND4J step diverged (loss " + loss + ") with " + variant.label());
            }
            return new StepTiming(batch, steps, seconds);
        }
    }

    private static double step(Model model, Optimizer optimizer, Nd4jVariant variant, Batch batch, float lr) {
        if (variant.fused()) {
            return ((FusedSgdStep) model).sgdStep(batch, lr);
        }
        double loss = model.computeGradients(batch);
        optimizer.step(model.parameters(), model.gradients(), lr);
        return loss;
    }

    private static OptimizerSpec optimizerSpec(BenchOptimizer optimizer) {
        return switch (optimizer) {
            case SGD -> OptimizerSpec.Sgd.plain();
            case MOMENTUM -> OptimizerSpec.Sgd.momentum(0.9);
            case ADAMW -> OptimizerSpec.AdamW.defaults();
        };
    }

    private Batch[] syntheticPool(int batch) {
        SplittableRandom random = new SplittableRandom(seed + batch);
        Batch[] pool = new Batch[POOL];
        for (int p = 0; p < POOL; p++) {
            float[] features = new float[batch * INPUT];
            for (int i = 0; i < features.length; i++) {
                features[i] = (float) random.nextDouble();
            }
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = random.nextInt(CLASSES);
            }
            pool[p] = Batch.of(features, labels);
        }
        return pool;
    }
}
