package io.clpipe.bench.learner;

import java.util.List;

/**
 * One ND4J training-step path: the learner engine's optimizer applied after
 * {@code computeGradients} (generic), or plain SGD folded into the backward pass
 * ({@link io.clpipe.models.FusedSgdStep}).
 */
public record Nd4jVariant(BenchOptimizer optimizer, boolean fused) {

    public Nd4jVariant {
        if (fused && optimizer != BenchOptimizer.SGD) {
            throw new IllegalArgumentException("only plain SGD has a fused path");
        }
    }

    public static List<Nd4jVariant> all() {
        return List.of(new Nd4jVariant(BenchOptimizer.SGD, true), new Nd4jVariant(BenchOptimizer.SGD, false),
                new Nd4jVariant(BenchOptimizer.MOMENTUM, false), new Nd4jVariant(BenchOptimizer.ADAMW, false));
    }

    public String label() {
        return optimizer.label() + (fused ? " (fused)" : optimizer == BenchOptimizer.SGD ? " (generic)" : "");
    }
}
