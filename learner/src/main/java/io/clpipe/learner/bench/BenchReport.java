package io.clpipe.learner.bench;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a benchmark run measured.
 *
 * @param torchProblem why PyTorch figures are missing or partial, if they are
 */
public record BenchReport(List<BenchRow> rows, Optional<String> torchProblem) {

    public BenchReport {
        rows = List.copyOf(rows);
    }

    /** The headline: ND4J's fastest plain-SGD path over PyTorch's SGD at {@code batch}. */
    public OptionalDouble sgdRatio(int batch, boolean fused) {
        return rows.stream()
                .filter(r -> r.batch() == batch && r.variant().optimizer() == BenchOptimizer.SGD && r.variant().fused() == fused)
                .findFirst().map(BenchRow::ratio).orElse(OptionalDouble.empty());
    }
}
