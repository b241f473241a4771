package io.clpipe.bench.evaluator;

import java.util.Comparator;
import java.util.List;

/**
 * Everything {@code clpipe bench evaluator} measured.
 *
 * @param architecture         the MLP, e.g. "784-400-400-10"
 * @param dataSource           where the eval samples came from
 * @param samplesPerEvaluation samples one evaluation scores (tasks × subset)
 * @param rows                 full evaluations per (threads, chunk) setting
 * @param engineAlone          the metrics engine alone, evaluations per second
 * @param learner              the learner's snapshot rate at ρ = 1, per thread count
 */
public record EvaluatorBenchReport(String architecture, String dataSource, int tasks, long samplesPerEvaluation,
                                   List<PipelineRow> rows, Spread engineAlone, List<LearnerRow> learner) {

    public EvaluatorBenchReport {
        rows = List.copyOf(rows);
        learner = List.copyOf(learner);
        if (rows.isEmpty() || learner.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one pipeline row and one learner row");
        }
    }

    /** The setting with the most evaluations per second (median). */
    public PipelineRow fastest() {
        return rows.stream().max(Comparator.comparingDouble(r -> r.evaluationsPerSecond().median())).orElseThrow();
    }

    /** The learner's fastest snapshot rate at ρ = 1 (median). */
    public LearnerRow fastestLearner() {
        return learner.stream().max(Comparator.comparingDouble(r -> r.snapshotsPerSecond().median())).orElseThrow();
    }

    /** Snapshots per second one evaluator can score: its fastest full-evaluation rate. */
    public double ceiling() {
        return fastest().evaluationsPerSecond().median();
    }

    /** The smallest evaluation period ρ at which the evaluator keeps up with the learner (each measured alone). */
    public long smallestRho() {
        return Math.max(1, (long) Math.ceil(fastestLearner().snapshotsPerSecond().median() / ceiling()));
    }
}
