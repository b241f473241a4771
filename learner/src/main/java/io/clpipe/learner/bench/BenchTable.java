package io.clpipe.learner.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Renders a {@link BenchReport} as the table docs/benchmarks.md quotes, ending with the headline line. */
final class BenchTable {

    private BenchTable() {
    }

    static void print(BenchReport report, PrintStream out) {
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
        int headline = BenchConfig.HEADLINE_BATCH;
        var generic = report.sgdRatio(headline, false);
        if (generic.isPresent()) {
            out.printf(Locale.ROOT, "learner/pytorch at batch %d, generic path (computeGradients + engine SGD) = %.2f%n",
                    headline, generic.getAsDouble());
        }
        var fused = report.sgdRatio(headline, true);
        if (fused.isPresent()) {
            out.printf(Locale.ROOT, "learner/pytorch at batch %d = %.2f%n", headline, fused.getAsDouble());
        } else {
            out.printf(Locale.ROOT, "learner/pytorch at batch %d = n/a (%s)%n", headline,
                    report.torchProblem().orElse("batch " + headline + " was not run"));
        }
    }
}
