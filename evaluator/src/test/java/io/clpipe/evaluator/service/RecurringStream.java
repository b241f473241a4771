package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.evaluator.engine.ContinualMetricsEngine;
import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.TaskMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * A long stream with recurring tasks (a, b, a, b for 20 versions each) whose scores are known per
 * version, and the check that published metrics equal those of one uninterrupted engine: what
 * crash and failover tests compare against.
 */
final class RecurringStream {

    private RecurringStream() {
    }

    /** Versions 0..length−1 of the stream; seen-task lists grow; what the model knows varies per version. */
    static List<ModelSnapshot> snapshots(String stream, int length) {
        List<ModelSnapshot> out = new ArrayList<>(length);
        for (int v = 0; v < length; v++) {
            String task = (v / 20) % 2 == 0 ? "a" : "b";
            List<String> seen = v < 20 ? List.of("a") : List.of("a", "b");
            out.add(TestStreams.snapshot(stream, v, task, seen, knownAt(v)));
        }
        return out;
    }

    private static Set<Integer> knownAt(int version) {
        Random random = new Random(version);
        Set<Integer> known = new HashSet<>();
        for (int c = 0; c < 4; c++) {
            if (random.nextBoolean()) {
                known.add(c);
            }
        }
        return known;
    }

    /** The records one uninterrupted evaluator publishes for the snapshots (timestamps 0). */
    static List<IterationMetrics> uninterruptedRecords(String stream, List<ModelSnapshot> snapshots) {
        ContinualMetricsEngine uninterrupted = new ContinualMetricsEngine(EngineConfig.defaults(Direction.ACCURACY)
                .withLcaBeta(Scenario.LCA_BETA));
        List<IterationMetrics> out = new ArrayList<>();
        for (int v = 0; v < snapshots.size(); v++) {
            ModelSnapshot s = snapshots.get(v);
            Map<String, TaskMetrics> tasks = new LinkedHashMap<>();
            for (String task : s.getSeenTasks()) {
                int first = task.equals("a") ? 0 : 2;
                Set<Integer> known = knownAt(v);
                tasks.put(task, new TaskMetrics(TestStreams.accuracy(known, first), TestStreams.loss(known, first), 10L));
            }
            String previousTask = v > 0 ? snapshots.get(v - 1).getTask() : null;
            if (previousTask != null && !previousTask.equals(s.getTask()) && !uninterrupted.learned(s.getTask())
                    && !uninterrupted.hasScore(previousTask, s.getTask())) {
                // the previous version (the old task's last) did not list the new task: scored on it now
                uninterrupted.recordLateScore(previousTask, s.getTask(),
                        TestStreams.accuracy(knownAt(v - 1), s.getTask().equals("a") ? 0 : 2));
            }
            if (v > 0) {
                // the evaluator scores its kept initial model on a task first seen later: b_i of FWT
                for (String task : s.getSeenTasks()) {
                    if (uninterrupted.initialScore(task) == null) {
                        uninterrupted.recordInitialScore(task, TestStreams.accuracy(knownAt(0), task.equals("a") ? 0 : 2));
                    }
                }
            }
            MetricsSnapshot expected = MetricsRecords.evaluation(v, s.getTask(), tasks, Direction.ACCURACY)
                    .map(uninterrupted::record).orElseThrow();
            IterationMetrics record = MetricsRecords.record(stream, v, s.getTask(), tasks, expected, Direction.ACCURACY, 0);
            MetricsRecords.addLearnerState(record, s.getLearningRate(), s.getLoss());
            out.add(record);
        }
        return out;
    }

    /**
     * The stream's records among {@code metrics} are versions 0..n−1 once each, in order, and each
     * record's aggregates equal those of one uninterrupted engine fed the known scores.
     */
    static void assertPublishedExactlyOnce(List<IterationMetrics> metrics, String stream, List<ModelSnapshot> snapshots,
                                           String context) {
        List<IterationMetrics> own = metrics.stream().filter(m -> m.getStream().equals(stream)).toList();
        assertThat(own.stream().map(IterationMetrics::getIteration).toList()).as("%s: versions of %s", context, stream)
                .containsExactlyElementsOf(LongStream.range(0, snapshots.size()).boxed().toList());
        List<IterationMetrics> expected = uninterruptedRecords(stream, snapshots);
        for (int v = 0; v < snapshots.size(); v++) {
            assertThat(own.get(v).getAggregates()).as("%s: %s v%d", context, stream, v).isEqualTo(expected.get(v).getAggregates());
        }
    }
}
