package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.BitsPerByte;
import io.clpipe.evaluator.engine.ContinualMetricsEngine;
import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.Evaluation;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import io.clpipe.evaluator.engine.StabilityGap;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.MetricDirection;
import io.clpipe.schemas.avro.ScoreMatrix;
import io.clpipe.schemas.avro.SkippedVersions;
import io.clpipe.schemas.avro.TaskMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Mapping between the engine and the metrics topic's {@link IterationMetrics}, both ways: a record is
 * built from per-task scores and the engine's snapshot, and a published record is turned back into
 * the very {@link Evaluation} it was computed from (how a restart catches up from the topic). The
 * live path also derives its evaluation from the per-task record fields, so both ways agree.
 */
final class MetricsRecords {

    /** Iteration of the latest boundary whose stability gaps follow. */
    static final String GAP_BOUNDARY = "gap_boundary";
    /** Prefix of the per-old-task gap depth at the latest boundary: {@code gap_depth.<task>}. */
    static final String GAP_DEPTH = "gap_depth.";
    /** Prefix of the per-old-task recovery iterations at the latest boundary (null until recovered). */
    static final String GAP_RECOVERY = "gap_recovery.";

    private MetricsRecords() {
    }

    /** The engine input for per-task results: the finite scores in the direction's unit; empty if none. */
    static Optional<Evaluation> evaluation(long iteration, String task, Map<String, TaskMetrics> tasks, Direction direction) {
        Map<String, Double> scores = new LinkedHashMap<>();
        tasks.forEach((name, m) -> {
            Double score = direction == Direction.ACCURACY ? m.getAccuracy() : m.getLoss();
            if (score != null && Double.isFinite(score)) {
                scores.put(name, score);
            }
        });
        if (scores.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Evaluation(iteration, EvalIntake.taskOf(task), scores));
    }

    static Optional<Evaluation> evaluation(IterationMetrics published) {
        return evaluation(published.getIteration(), published.getTask(), published.getTasks(), direction(published.getDirection()));
    }

    /**
     * @param snapshot the engine's metrics after this evaluation, or null when nothing could be scored
     *                 (the record then carries no aggregates)
     */
    static IterationMetrics record(String stream, long iteration, String task, Map<String, TaskMetrics> tasks,
                                   MetricsSnapshot snapshot, Direction direction, long timestamp) {
        Map<String, Double> aggregates = new LinkedHashMap<>();
        if (snapshot != null) {
            snapshot.aggregates().forEach((name, value) -> aggregates.put(name, orNaN(value)));
            Map<String, StabilityGap> gaps = LatestGaps.byTask(snapshot.gaps());
            if (!gaps.isEmpty()) {
                aggregates.put(GAP_BOUNDARY, (double) gaps.values().iterator().next().boundaryIteration());
                gaps.forEach((name, gap) -> {
                    aggregates.put(GAP_DEPTH + name, orNaN(gap.depth()));
                    aggregates.put(GAP_RECOVERY + name, gap.recoveryIterations() == null ? Double.NaN : gap.recoveryIterations());
                });
            }
        }
        return IterationMetrics.newBuilder()
                .setScoreMatrix(snapshot == null ? null : matrix(snapshot))
                .setStream(stream)
                .setIteration(iteration)
                .setTask(task)
                .setTasks(new LinkedHashMap<>(tasks))
                .setAggregates(aggregates)
                .setDirection(direction.higherIsBetter() ? MetricDirection.HIGHER_IS_BETTER : MetricDirection.LOWER_IS_BETTER)
                .setTimestamp(timestamp)
                .build();
    }

    /** Skipped versions a record lists one by one; above, only their count, first and last (the record stays small). */
    static final int LISTED_SKIPS = 64;

    /** Names the versions of the stream thinned since its previous record (ascending, not empty). */
    static void addSkipped(IterationMetrics record, List<Long> versions) {
        record.setSkippedVersions(new SkippedVersions((long) versions.size(), versions.get(0), versions.get(versions.size() - 1),
                versions.size() <= LISTED_SKIPS ? new ArrayList<>(versions) : null));
    }

    /** The accuracy matrix of {@code snapshot} with its initial row, as published. */
    static ScoreMatrix matrix(MetricsSnapshot snapshot) {
        List<Double> initial = new ArrayList<>(snapshot.tasks().size());
        snapshot.tasks().forEach(t -> initial.add(snapshot.initialScores().get(t)));
        List<List<Double>> rows = new ArrayList<>(snapshot.accuracyMatrix().size());
        snapshot.accuracyMatrix().forEach(row -> rows.add(new ArrayList<>(row)));
        return new ScoreMatrix(new ArrayList<>(snapshot.tasks()), initial, rows);
    }

    /**
     * Gives a replaying engine, before it records {@code published}, the scores the evaluator obtained
     * late (forward transfer's b_i and a(i−1, i), see {@link TransferScorer}) and handed its engine
     * before recording that evaluation: every known cell of the published matrix the engine does not
     * hold, except the row of the record's own learning task (that evaluation writes it). Cells the
     * engine computed itself are the same ones and are left alone.
     */
    static void adoptLateScores(IterationMetrics published, ContinualMetricsEngine engine) {
        ScoreMatrix m = published.getScoreMatrix();
        if (m == null) {
            return;
        }
        List<String> tasks = m.getTasks();
        String own = EvalIntake.taskOf(published.getTask());
        for (int j = 0; j < tasks.size(); j++) {
            Double b = m.getInitial().get(j);
            if (b != null) {
                engine.recordInitialScore(tasks.get(j), b);
            }
        }
        for (int k = 0; k < m.getRows().size(); k++) {
            if (tasks.get(k).equals(own) || published.getIteration() == 0) {
                continue;
            }
            List<Double> row = m.getRows().get(k);
            for (int j = 0; j < tasks.size(); j++) {
                if (row.get(j) != null) {
                    engine.recordLateScore(tasks.get(k), tasks.get(j), row.get(j));
                }
            }
        }
    }

    /** Learning rate and training loss of the step that produced the snapshot (for dashboards and plots). */
    static final String LEARNING_RATE = "learning_rate";
    static final String TRAIN_LOSS = "train_loss";

    /** Aggregate name prefix of a byte-level LM's per-task validation loss in bits per byte. */
    static final String BITS_PER_BYTE = "bpb.";

    /** Adds {@code bpb.<task>} for every scored task: the loss of a byte-level LM in bits per byte. */
    static void addBitsPerByte(IterationMetrics record, Map<String, TaskMetrics> tasks) {
        tasks.forEach((task, scores) -> {
            if (scores.getLoss() != null) {
                record.getAggregates().put(BITS_PER_BYTE + task, BitsPerByte.fromNats(scores.getLoss()));
            }
        });
    }

    static void addLearnerState(IterationMetrics record, double learningRate, double trainLoss) {
        record.getAggregates().put(LEARNING_RATE, learningRate);
        record.getAggregates().put(TRAIN_LOSS, trainLoss);
    }

    /** The learner's prequential figures, carried by the snapshot's headers, into the record's aggregates. */
    static void addPrequential(IterationMetrics record, org.apache.kafka.common.header.Headers headers) {
        copy(record, headers, io.clpipe.schemas.SnapshotHeaders.PREQUENTIAL_ACCURACY, io.clpipe.schemas.MetricKeys.PREQUENTIAL_ACC);
        copy(record, headers, io.clpipe.schemas.SnapshotHeaders.PREQUENTIAL_LOSS, io.clpipe.schemas.MetricKeys.PREQUENTIAL_LOSS);
        copy(record, headers, io.clpipe.schemas.SnapshotHeaders.PREQUENTIAL_STEP_ACCURACY,
                io.clpipe.schemas.MetricKeys.PREQUENTIAL_STEP_ACC);
    }

    private static void copy(IterationMetrics record, org.apache.kafka.common.header.Headers headers, String header, String key) {
        org.apache.kafka.common.header.Header h = headers.lastHeader(header);
        if (h != null) {
            try {
                record.getAggregates().put(key, Double.parseDouble(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
            } catch (NumberFormatException e) {
                // a foreign producer's header: the record goes out without it
            }
        }
    }

    static Direction direction(MetricDirection direction) {
        return direction == MetricDirection.HIGHER_IS_BETTER ? Direction.ACCURACY : Direction.LOSS;
    }

    private static double orNaN(Number value) {
        return value == null ? Double.NaN : value.doubleValue();
    }
}
