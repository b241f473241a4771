package io.clpipe.evaluator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: on random traces (recurring tasks, sparse and future-task scores, both directions,
 * random windows, β and tolerance) the incremental engine's snapshot after every evaluation equals
 * {@link DirectMetrics}' recomputation from the whole prefix. Seeded, so a failure names its seed.
 */
class EngineMatchesRecomputationTest {

    private static final double EPS = 1e-9;

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void incrementalEqualsDirect(long seed) {
        Random random = new Random(seed);
        EngineConfig config = randomConfig(random);
        List<Evaluation> trace = randomTrace(random, config.direction());
        ContinualMetricsEngine engine = new ContinualMetricsEngine(config);
        List<Evaluation> prefix = new ArrayList<>();
        for (Evaluation e : trace) {
            prefix.add(e);
            MetricsSnapshot s = engine.record(e);
            DirectMetrics direct = new DirectMetrics(config, prefix);
            String at = "seed " + seed + " iteration " + e.iteration();

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
                    close(at + " a" + r + c, s.accuracyMatrix().get(r).get(c),
                            direct.a(s.tasks().get(r), s.tasks().get(c)));
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
    }

    private static EngineConfig randomConfig(Random random) {
        Direction direction = random.nextBoolean() ? Direction.ACCURACY : Direction.LOSS;
        List<Integer> windows = new ArrayList<>(List.of(2 + random.nextInt(3)));
        if (random.nextBoolean()) {
            windows.add(5 + random.nextInt(10));
        }
        double[] tolerances = {0, 0.01, 0.05, 0.2};
        return new EngineConfig(direction, windows, 1 + random.nextInt(4), tolerances[random.nextInt(4)],
                Integer.MAX_VALUE);
    }

    private static List<Evaluation> randomTrace(Random random, Direction direction) {
        int taskCount = 1 + random.nextInt(4);
        double scale = direction == Direction.ACCURACY ? 1 : 5;
        List<Evaluation> trace = new ArrayList<>();
        if (random.nextBoolean()) {
            trace.add(new Evaluation(0, null, scores(random, taskCount, scale, 1.0)));
        }
        long n = 0;
        int segments = 1 + random.nextInt(6);
        List<String> seen = new ArrayList<>();
        for (int s = 0; s < segments; s++) {
            String task = "T" + random.nextInt(taskCount);
            if (!seen.contains(task)) {
                seen.add(task);
            }
            int length = 1 + random.nextInt(8);
            for (int e = 0; e < length; e++) {
                n += 1 + random.nextInt(3);
                Map<String, Double> scores = new LinkedHashMap<>();
                for (String t : seen) {
                    if (random.nextDouble() < 0.8) {
                        scores.put(t, round(random.nextDouble() * scale));
                    }
                }
                // sometimes score tasks that have not been learned yet (forward transfer)
                scores.putAll(scores(random, taskCount, scale, 0.2));
                if (scores.isEmpty()) {
                    scores.put(task, round(random.nextDouble() * scale));
                }
                trace.add(new Evaluation(n, task, scores));
            }
        }
        return trace;
    }

    private static Map<String, Double> scores(Random random, int taskCount, double scale, double p) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int t = 0; t < taskCount; t++) {
            if (random.nextDouble() < p) {
                scores.put("T" + t, round(random.nextDouble() * scale));
            }
        }
        if (scores.isEmpty() && p >= 1.0) {
            scores.put("T0", round(random.nextDouble() * scale));
        }
        return scores;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
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
