package io.clpipe.bench.evaluator;

import java.io.PrintWriter;
import java.util.Locale;

/** Renders an {@link EvaluatorBenchReport} as the table docs/benchmarks.md quotes, ending with the headline line. */
final class EvaluatorBenchTable {

    private EvaluatorBenchTable() {
    }

    static void print(EvaluatorBenchReport report, PrintWriter out) {
        PipelineRow fastest = report.fastest();
        out.println();
        out.printf(Locale.ROOT, "%7s %6s %22s %8s %8s %8s %8s %17s %9s %8s%n", "threads", "chunk", "evaluations/s (min–max)",
                "ms/eval", "decode", "forward", "metrics", "forward samples/s", "GFLOP/s", "% sgemm");
        for (PipelineRow row : report.rows()) {
            Spread s = row.evaluationsPerSecond();
            out.printf(Locale.ROOT, "%7d %6d %22s %8.2f %8.2f %8.2f %8.3f %,17.0f %9.1f %7.0f%%%s%n",
                    row.blasThreads(), row.chunk(), String.format(Locale.ROOT, "%.1f (%.1f–%.1f)", s.median(), s.min(), s.max()),
                    1000 / s.median(), row.decodeMs(), row.forwardMs(), row.metricsMs(), row.forwardSamplesPerSecond(),
                    row.forwardGflops(), 100 * row.sgemmShare(), row == fastest ? "  ← fastest" : "");
        }
        out.println();
        Spread engine = report.engineAlone();
        out.printf(Locale.ROOT, "metrics engine alone (synthetic %d-task trace, record = update + snapshot): %,.0f evaluations/s"
                + " (%,.0f–%,.0f), %.2f µs/evaluation%n", report.tasks(), engine.median(), engine.min(), engine.max(), 1e6 / engine.median());
        for (LearnerRow row : report.learner()) {
            out.printf(Locale.ROOT, "learner, same MLP, fused SGD batch %d, %d thread%s: %,.0f steps/s without snapshots,"
                    + " %,.0f steps/s encoding a snapshot every step (ρ = 1)%n", row.batch(), row.blasThreads(),
                    row.blasThreads() == 1 ? "" : "s", row.stepsPerSecond().median(), row.snapshotsPerSecond().median());
        }
        LearnerRow learner = report.fastestLearner();
        out.printf(Locale.ROOT, "evaluator ceiling %.1f snapshots/s vs learner %,.0f snapshots/s at ρ = 1 (%.1f%%):"
                + " one evaluator keeps up from ρ = %d (each measured alone; sharing the cores, both slow down)%n",
                report.ceiling(), learner.snapshotsPerSecond().median(), 100 * report.ceiling() / learner.snapshotsPerSecond().median(),
                report.smallestRho());
        out.printf(Locale.ROOT, "evaluator: %.1f evaluations/s (MLP %s, %d tasks × %d samples, chunk %d, %d OpenBLAS thread%s)%n",
                fastest.evaluationsPerSecond().median(), report.architecture(), report.tasks(),
                report.samplesPerEvaluation() / report.tasks(), fastest.chunk(), fastest.blasThreads(),
                fastest.blasThreads() == 1 ? "" : "s");
    }
}
