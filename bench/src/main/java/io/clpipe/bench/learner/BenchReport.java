package io.clpipe.bench.learner;

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

    /** ND4J over PyTorch for one measured row, if it was measured and the peer ran. */
    public OptionalDouble ratio(int batch, Nd4jVariant variant) {
        return rows.stream().filter(r -> r.batch() == batch && r.variant().equals(variant))
                .findFirst().map(BenchRow::ratio).orElse(OptionalDouble.empty());
    }

    /** The row with the lowest ND4J/PyTorch ratio, if any row has one. */
    public Optional<BenchRow> slowest() {
        return rows.stream().filter(r -> r.ratio().isPresent())
                .min(java.util.Comparator.comparingDouble(r -> r.ratio().getAsDouble()));
    }

    /** ND4J's plain-SGD path (fused or generic) over PyTorch's SGD at {@code batch}. */
    public OptionalDouble sgdRatio(int batch, boolean fused) {
        return rows.stream()
                .filter(r -> r.batch() == batch && r.variant().optimizer() == BenchOptimizer.SGD && r.variant().fused() == fused)
                .findFirst().map(BenchRow::ratio).orElse(OptionalDouble.empty());
    }
}
