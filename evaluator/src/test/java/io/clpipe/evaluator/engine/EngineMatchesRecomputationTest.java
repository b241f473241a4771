package io.clpipe.evaluator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Property (jqwik): on random traces the incremental engine's snapshot after every evaluation
 * equals {@link DirectMetrics}' recomputation from the whole prefix.
 *
 * <p>Traces are generated as structure, not as a flat list, so that jqwik shrinks a failure to a
 * small readable one: an optional initial-model evaluation, then segments (a learning task and its
 * evaluations; consecutive segments of different tasks make a boundary, a task may recur), each
 * evaluation advancing 1–3 iterations and scoring a non-empty subset of up to {@value #MAX_TASKS}
 * tasks (learned, not yet learned, or not the current one: sparse scores and forward transfer).
 * Scores and the recovery tolerance sit on a coarse grid (accuracy p/20, loss p/10 for p in 0..20,
 * tolerance 0–0.2 by 0.05) so that ties are frequent: equal scores (which worst, which first) and
 * drops exactly at the tolerance edge (0.9 − 0.85 is not 0.05 in binary) are where an incremental
 * engine and a recomputation part ways. Everything shrinks towards task 0, fewer segments and
 * evaluations, 1-iteration steps, score 0, β 1 and tolerance 0.
 */
class EngineMatchesRecomputationTest {

    static final int MAX_TASKS = 4;
    private static final double EPS = 1e-9;

    @Property(tries = 400)
    void incrementalEqualsDirect(@ForAll("configs") EngineConfig config, @ForAll("traces") TracePlan plan) {
        List<Evaluation> trace = plan.evaluations(config.direction());
        Statistics.label("direction").collect(config.direction());
        Statistics.label("boundaries").collect(plan.boundaries() == 0 ? "0" : plan.boundaries() < 3 ? "1-2" : "3+");
        Statistics.label("recurring task").collect(plan.hasRecurringTask());
        Statistics.label("recurring task").coverage(c -> c.check(true).percentage(p -> p >= 10));
        Statistics.label("boundaries").coverage(c -> c.check("3+").percentage(p -> p >= 10));

        ContinualMetricsEngine engine = new ContinualMetricsEngine(config);
        List<Evaluation> prefix = new ArrayList<>();
        for (Evaluation e : trace) {
            prefix.add(e);
            assertSame("iteration " + e.iteration(), config, engine.record(e), new DirectMetrics(config, prefix));
        }
    }

    @Provide
    Arbitrary<EngineConfig> configs() {
        Arbitrary<List<Integer>> windows = Arbitraries.integers().between(2, 15).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<Integer> beta = Arbitraries.integers().between(1, 5);
        Arbitrary<Double> tolerance = Arbitraries.integers().between(0, 4).map(t -> t / 20.0);
        return Combinators.combine(Arbitraries.of(Direction.class), windows, beta, tolerance)
                .as((direction, w, b, t) -> new EngineConfig(direction, w, b, t, Integer.MAX_VALUE));
    }

    @Provide
    Arbitrary<TracePlan> traces() {
        Arbitrary<Map<Integer, Integer>> scores = Arbitraries.maps(
                Arbitraries.integers().between(0, MAX_TASKS - 1), Arbitraries.integers().between(0, 20))
                .ofMinSize(1).ofMaxSize(MAX_TASKS);
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(1, 3), scores).as(Step::new);
        Arbitrary<Segment> segment = Combinators.combine(
                Arbitraries.integers().between(0, MAX_TASKS - 1), step.list().ofMinSize(1).ofMaxSize(8)).as(Segment::new);
        return Combinators.combine(scores.optional(0.5), segment.list().ofMinSize(1).ofMaxSize(6)).as(TracePlan::new);
    }

    /** One evaluation: {@code advance} iterations after the previous one, scores by task index in points. */
    record Step(int advance, Map<Integer, Integer> scores) {
    }

    /** Evaluations while learning task {@code task}. */
    record Segment(int task, List<Step> steps) {
    }

    /** A trace before it is turned into evaluations; jqwik shrinks this shape. */
    record TracePlan(Optional<Map<Integer, Integer>> initial, List<Segment> segments) {

        List<Evaluation> evaluations(Direction direction) {
            List<Evaluation> out = new ArrayList<>();
            initial.ifPresent(scores -> out.add(new Evaluation(0, null, scores(scores, direction))));
            long n = 0;
            for (Segment segment : segments) {
                for (Step step : segment.steps()) {
                    n += step.advance();
                    out.add(new Evaluation(n, name(segment.task()), scores(step.scores(), direction)));
                }
            }
            return out;
        }

        /** Changes of learning task (consecutive segments of the same task are one). */
        int boundaries() {
            int count = 0;
            for (int s = 1; s < segments.size(); s++) {
                count += segments.get(s).task() != segments.get(s - 1).task() ? 1 : 0;
            }
            return count;
        }

        /** Whether some task is learned again after another one. */
        boolean hasRecurringTask() {
            List<Integer> order = new ArrayList<>();
            for (Segment segment : segments) {
                if (order.isEmpty() || order.get(order.size() - 1) != segment.task()) {
                    order.add(segment.task());
                }
            }
            return order.stream().distinct().count() < order.size();
        }

        private static Map<String, Double> scores(Map<Integer, Integer> points, Direction direction) {
            Map<String, Double> out = new LinkedHashMap<>();
            points.forEach((task, p) -> out.put(name(task), direction == Direction.ACCURACY ? p / 20.0 : p / 10.0));
            return out;
        }

        private static String name(int task) {
            return "T" + task;
        }
    }

    private static void assertSame(String at, EngineConfig config, MetricsSnapshot s, DirectMetrics direct) {
        assertThat(s.learningTask()).as(at).isEqualTo(direct.current());
        assertThat(s.tasks()).as(at).isEqualTo(direct.columns());
        assertThat(s.learnedTasks()).as(at).isEqualTo(direct.learned().size());
        close(at + " acc", s.acc(), direct.acc());
        close(at + " minAcc", s.minAcc(), direct.minAcc());
        close(at + " wcAcc", s.wcAcc(), direct.wcAcc());
        for (int w : config.windows()) {
            close(at + " wf" + w, s.wf(w), direct.windowed(w, true));
            close(at + " wp" + w, s.wp(w), direct.windowed(w, false));
        }
        close(at + " lca", s.lca(), direct.lca());
        for (int r = 0; r < s.learnedTasks(); r++) {
            for (int c = 0; c < s.tasks().size(); c++) {
                close(at + " a" + r + c, s.accuracyMatrix().get(r).get(c), direct.a(s.tasks().get(r), s.tasks().get(c)));
            }
        }
        Map<String, Double> forgetting = direct.current() == null ? Map.of() : direct.forgettingByTask();
        assertThat(s.forgettingByTask().keySet()).as(at).isEqualTo(forgetting.keySet());
        forgetting.forEach((task, f) -> close(at + " f_" + task, s.forgettingByTask().get(task), f));
        close(at + " forgetting", s.forgetting(),
                forgetting.isEmpty() ? null : forgetting.values().stream().mapToDouble(x -> x).average().orElseThrow());
        if (direct.current() != null) {
            close(at + " bwt", s.bwt(), direct.bwt());
        }
        close(at + " fwt", s.fwt(), direct.fwt());
        close(at + " learningAcc", s.learningAccuracy(), direct.learningAccuracy());
        List<StabilityGap> gaps = direct.gaps();
        assertThat(s.gaps()).as(at + " gaps").hasSameSizeAs(gaps);
        for (int g = 0; g < gaps.size(); g++) {
            StabilityGap ours = s.gaps().get(g);
            StabilityGap theirs = gaps.get(g);
            assertThat(ours.boundaryIteration()).as(at).isEqualTo(theirs.boundaryIteration());
            assertThat(ours.task()).as(at).isEqualTo(theirs.task());
            assertThat(ours.beforeIteration()).as(at).isEqualTo(theirs.beforeIteration());
            assertThat(ours.worstIteration()).as(at).isEqualTo(theirs.worstIteration());
            close(at + " depth", ours.depth(), theirs.depth());
            assertThat(ours.recoveryIterations()).as(at + " recovery " + ours).isEqualTo(theirs.recoveryIterations());
            assertThat(ours.open()).as(at).isEqualTo(theirs.open());
        }
    }

    private static void close(String what, Double ours, Double direct) {
        if (direct == null) {
            assertThat(ours).as(what).isNull();
        } else {
            assertThat(ours).as(what).isNotNull();
            assertThat(ours).as(what).isCloseTo(direct, within(EPS));
        }
    }
}
