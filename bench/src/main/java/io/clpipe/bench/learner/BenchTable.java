package io.clpipe.bench.learner;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Renders a {@link BenchReport} as the table docs/benchmarks.md quotes: every row with its ratio, the
 * slowest row, and last the row of the learner service's default configuration.
 */
final class BenchTable {

    private BenchTable() {
    }

    static void print(BenchReport report, Optional<ServiceDefault> serviceDefault, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%5s  %-24s %7s %14s %9s %17s %9s %13s %10s%n",
                "batch", "update", "threads", "ND4J samples/s", "ms/step", "PyTorch samples/s", "ms/step", "ND4J/PyTorch", "% of sgemm");
        int lastBatch = -1;
        for (BenchRow row : report.rows()) {
            if (lastBatch != -1 && row.batch() != lastBatch) {
                out.println();
            }
            lastBatch = row.batch();
            out.printf(Locale.ROOT, "%5d  %-24s %7d %,14.0f %9.3f %17s %9s %13s %9.0f%%%n",
                    row.batch(), row.variant().label(), row.nd4jBlasThreads(),
                    row.nd4j().samplesPerSecond(), row.nd4j().msPerStep(),
                    row.torch().map(t -> String.format(Locale.ROOT, "%,.0f", t.samplesPerSecond())).orElse("n/a"),
                    row.torch().map(t -> String.format(Locale.ROOT, "%.3f", t.msPerStep())).orElse("n/a"),
                    row.ratio().isPresent() ? String.format(Locale.ROOT, "%.2f", row.ratio().getAsDouble()) : "n/a",
                    100 * row.sgemmShare());
        }
        out.println();
        report.torchProblem().ifPresent(problem -> out.println("PyTorch figures missing: " + problem));
        report.slowest().ifPresent(row -> out.printf(Locale.ROOT, "slowest row: batch %d %s = %.2f (%s)%n",
                row.batch(), row.variant().label(), row.ratio().getAsDouble(),
                row.ratio().getAsDouble() >= 1 ? "every row at least 1.00" : "below 1.00"));
        int headline = BenchConfig.HEADLINE_BATCH;
        report.sgdRatio(headline, false).ifPresent(ratio -> out.printf(Locale.ROOT,
                "learner/pytorch at batch %d, generic path (computeGradients + engine SGD) = %.2f%n", headline, ratio));
        report.sgdRatio(headline, true).ifPresent(ratio -> out.printf(Locale.ROOT,
                "learner/pytorch at batch %d, fused SGD = %.2f%n", headline, ratio));
        printServiceDefault(report, serviceDefault, out);
    }

    /** The last line: the row the learner service runs when nothing is set, not the best one. */
    private static void printServiceDefault(BenchReport report, Optional<ServiceDefault> serviceDefault, PrintStream out) {
        if (serviceDefault.isEmpty()) {
            out.println("learner/pytorch with the service's defaults = n/a (their update rule or rate is not one the benchmark measures)");
            return;
        }
        ServiceDefault d = serviceDefault.get();
        OptionalDouble ratio = report.ratio(d.batch(), d.variant());
        if (ratio.isPresent()) {
            out.printf(Locale.ROOT, "learner/pytorch with the service's defaults (%s) = %.2f%n", d.description(), ratio.getAsDouble());
        } else {
            out.printf(Locale.ROOT, "learner/pytorch with the service's defaults (%s) = n/a (%s)%n", d.description(),
                    report.torchProblem().orElse("batch " + d.batch() + " was not run"));
        }
    }
}
