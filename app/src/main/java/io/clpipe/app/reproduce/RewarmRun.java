package io.clpipe.app.reproduce;

import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.TaskMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One finished arm of {@code reproduce rewarm}: the evaluator's records of its stream, read as
 * per-domain validation loss (natural log, per byte) against learner iteration.
 *
 * @param arm          what the learner did
 * @param metricsLines the metrics records as published (JSON)
 * @param records      the same, decoded
 * @param iterations   learner steps
 * @param seconds      wall time of the pipeline run
 * @param reportDir    the arm's own run report
 */
record RewarmRun(RewarmArm arm, List<String> metricsLines, List<IterationMetrics> records, long iterations, double seconds,
                 Path reportDir) {

    RewarmRun {
        metricsLines = List.copyOf(metricsLines);
        records = List.copyOf(records);
    }

    /** Validation loss of {@code domain} by iteration, where it was scored. */
    SortedMap<Long, Double> loss(String domain) {
        SortedMap<Long, Double> out = new TreeMap<>();
        for (IterationMetrics m : records) {
            TaskMetrics t = m.getTasks().get(domain);
            if (t != null && t.getLoss() != null && Double.isFinite(t.getLoss())) {
                out.put(m.getIteration(), t.getLoss());
            }
        }
        return out;
    }

    /** Loss of {@code domain} at the last evaluation (null if never scored). */
    Double finalLoss(String domain) {
        SortedMap<Long, Double> l = loss(domain);
        return l.isEmpty() ? null : l.get(l.lastKey());
    }

    /** Loss of {@code domain} at the last evaluation while {@code learning} was the task being learned. */
    Double lastWhileLearning(String domain, String learning) {
        Double v = null;
        for (IterationMetrics m : records) {
            TaskMetrics t = m.getTasks().get(domain);
            if (learning.equals(m.getTask()) && t != null && t.getLoss() != null) {
                v = t.getLoss();
            }
        }
        return v;
    }

    /** Loss of {@code domain} at the first evaluation while {@code learning} was the task being learned. */
    Double firstWhileLearning(String domain, String learning) {
        for (IterationMetrics m : records) {
            TaskMetrics t = m.getTasks().get(domain);
            if (learning.equals(m.getTask()) && t != null && t.getLoss() != null) {
                return t.getLoss();
            }
        }
        return null;
    }

    /** Highest loss of {@code domain} while {@code learning} was being learned. */
    Double maxWhileLearning(String domain, String learning) {
        Double v = null;
        for (IterationMetrics m : records) {
            TaskMetrics t = m.getTasks().get(domain);
            if (learning.equals(m.getTask()) && t != null && t.getLoss() != null) {
                v = v == null ? t.getLoss() : Math.max(v, t.getLoss());
            }
        }
        return v;
    }

    /** First iteration evaluated while {@code learning} was the task (the boundary, to the evaluation period). */
    Long firstIterationOf(String learning) {
        return records.stream().filter(m -> learning.equals(m.getTask())).map(IterationMetrics::getIteration).findFirst().orElse(null);
    }
}
