package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.MetricDirection;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.TaskMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seven snapshots of one stream with a boundary a → b at version 3 (a's last iteration; b is learned
 * from version 4), and every aggregate worked out
 * by hand from the docs/metrics.md definitions (windows 10/100, LCA β = 3, tolerance 0.01):
 * <pre>
 *  v  task seen  known      A(a)  A(b)   acc   min  wc    wf   wp    forg  bwt   la    lca
 *  0  a    a     {}         0     -      -     -    -     -    -     -     -     -     -     (initial model)
 *  1  a    a     {0}        .5    -      .5    -    .5    0    0     -     -     .5    -
 *  2  a    a     {0,1}      1     -      1     -    1     0    .5    -     -     1     -
 *  3  a    a     {0,1}      1     -      1     -    1     0    .5    -     -     1     5/6
 *  4  b    a,b   {2}        0     .5     .25   0    .25   .5   .25   1     -1    .75   5/6   gap a: depth 1
 *  5  b    a,b   {1,2,3}    .5    1      .75   0    .5    .5   .5    .5    -.5   1     5/6
 *  6  b    a,b   {0,1,2,3}  1     1      1     0    .5    .5   .75   0     0     1     5/6   gap a recovered after 3 (6 − b)
 * </pre>
 * wf/wp are WF/WP for both w = 10 and w = 100 (the run is shorter than either window).
 */
final class Scenario {

    static final int EVAL_SET_SIZE = 10;
    static final int LCA_BETA = 3;

    record Step(long version, String task, List<String> seen, Set<Integer> known, Double acc, Double minAcc,
                Double wcAcc, Double wf, Double wp, Double forgetting, Double bwt, Double learningAccuracy, Double lca,
                Double gapDepthA, Double gapRecoveryA) {
    }

    static final List<Step> STEPS = List.of(
            new Step(0, "a", List.of("a"), Set.of(), null, null, null, null, null, null, null, null, null, null, null),
            new Step(1, "a", List.of("a"), Set.of(0), .5, null, .5, 0.0, 0.0, null, null, .5, null, null, null),
            new Step(2, "a", List.of("a"), Set.of(0, 1), 1.0, null, 1.0, 0.0, .5, null, null, 1.0, null, null, null),
            new Step(3, "a", List.of("a"), Set.of(0, 1), 1.0, null, 1.0, 0.0, .5, null, null, 1.0, 5 / 6.0, null, null),
            new Step(4, "b", List.of("a", "b"), Set.of(2), .25, 0.0, .25, .5, .25, 1.0, -1.0, .75, 5 / 6.0, 1.0, null),
            new Step(5, "b", List.of("a", "b"), Set.of(1, 2, 3), .75, 0.0, .5, .5, .5, .5, -.5, 1.0, 5 / 6.0, 1.0, null),
            new Step(6, "b", List.of("a", "b"), Set.of(0, 1, 2, 3), 1.0, 0.0, .5, .5, .75, 0.0, 0.0, 1.0, 5 / 6.0, 1.0, 3.0));

    private Scenario() {
    }

    static ModelSnapshot snapshot(String stream, Step step) {
        return TestStreams.snapshot(stream, step.version(), step.task(), step.seen(), step.known());
    }

    /**
     * The catch-up timeout is far above the default: on a loaded CI machine reading the eval topic can
     * take seconds, and a batch evaluated before its eval samples are read scores differently.
     */
    static EvaluatorServiceConfig.Builder config(Path stateDir) {
        return EvaluatorServiceConfig.builder(stateDir).evalSetSize(EVAL_SET_SIZE).lcaBeta(LCA_BETA)
                .catchUpTimeout(Duration.ofSeconds(120));
    }

    /** Checks one published record against the step of its version. */
    static void check(IterationMetrics m) {
        Step step = STEPS.get((int) m.getIteration());
        String at = m.getStream() + " v" + m.getIteration();
        assertThat(m.getTask()).as(at).isEqualTo(step.task());
        assertThat(m.getDirection()).as(at).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(m.getTasks().keySet()).as(at).containsExactlyElementsOf(step.seen());
        Map<String, Integer> firstLabel = Map.of("a", 0, "b", 2);
        for (String task : step.seen()) {
            TaskMetrics t = m.getTasks().get(task);
            assertThat(t.getAccuracy()).as(at + " accuracy " + task).isEqualTo(TestStreams.accuracy(step.known(), firstLabel.get(task)));
            assertThat(t.getLoss()).as(at + " loss " + task).isCloseTo(TestStreams.loss(step.known(), firstLabel.get(task)), within(1e-5));
            assertThat(t.getSamples()).as(at + " samples " + task).isEqualTo(EVAL_SET_SIZE);
        }
        Map<String, Double> expected = new HashMap<>();
        expected.put("acc", step.acc());
        expected.put("min_acc", step.minAcc());
        expected.put("wc_acc", step.wcAcc());
        expected.put("wf10", step.wf());
        expected.put("wf100", step.wf());
        expected.put("wp10", step.wp());
        expected.put("wp100", step.wp());
        expected.put("forgetting", step.forgetting());
        expected.put("bwt", step.bwt());
        // v3 (a's last version) did not list b: the evaluator scores it on b at v4 (0, it knows neither
        // class 2 nor 3), and its initial model (knows nothing) too: FWT = 0 − 0
        expected.put("fwt", step.version() >= 4 ? 0.0 : null);
        expected.put("learning_accuracy", step.learningAccuracy());
        expected.put("lca", step.lca());
        // The learner's state at the snapshot, copied through (TestStreams writes 0.01 and 0.5).
        expected.put(MetricsRecords.LEARNING_RATE, 0.01);
        expected.put(MetricsRecords.TRAIN_LOSS, 0.5);
        if (step.gapDepthA() != null) {
            expected.put(MetricsRecords.GAP_BOUNDARY, 3.0); // the old task's last iteration (was 4, the new task's first)
            expected.put(MetricsRecords.GAP_DEPTH + "a", step.gapDepthA());
            expected.put(MetricsRecords.GAP_RECOVERY + "a", step.gapRecoveryA());
        }
        assertThat(m.getAggregates().keySet()).as(at + " aggregate names").containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((name, value) -> {
            double actual = m.getAggregates().get(name);
            if (value == null) {
                assertThat(actual).as(at + " " + name).isNaN();
            } else {
                assertThat(actual).as(at + " " + name).isCloseTo(value, within(1e-12));
            }
        });
    }
}
