package io.clpipe.evaluator.engine;

import static io.clpipe.evaluator.engine.Evals.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Our definitions against the two reference implementations (see docs/metrics.md, "Cross-check").
 *
 * <ul>
 *   <li>Avalanche, tests/evaluation/test_functional.py: accuracy matrices with their expected
 *       forgetting, ported here as traces.</li>
 *   <li>ContinualEvaluation (Mattdl), src/eval/continual_eval_metrics.py: WF^w recomputes, after
 *       every evaluation, the largest A_i − A_j (i &lt; j) over the whole deque of the last w scores and
 *       keeps the maximum over time (starting at 0); WC-ACC is the plain mean of [current task's
 *       accuracy] + [min accuracy of every other task]. Both are re-implemented below from that
 *       description and compared with our incremental versions.</li>
 * </ul>
 */
class ReferenceCrossCheckTest {

    private static final Offset<Double> EPS = within(1e-12);

    /** Avalanche's test_diag_forgetting: vals[t][k], t = after learning experience t. */
    @Test
    void avalancheDiagonalMatrixGivesTheSameForgetting() {
        ContinualMetricsEngine engine = new ContinualMetricsEngine(EngineConfig.defaults(Direction.ACCURACY));
        // vals = [[1.0, 0.0, 0.0], [0.5, 0.8, 1.0], [0.2, 1.0, 0.5]]
        // target = [[0, 0, 0], [0.5, 0, 0], [0.8, -0.2, 0]]
        MetricsSnapshot t0 = engine.record(at(1, "e0", "e0", 1.0, "e1", 0.0, "e2", 0.0));
        MetricsSnapshot t1 = engine.record(at(2, "e1", "e0", 0.5, "e1", 0.8, "e2", 1.0));
        MetricsSnapshot t2 = engine.record(at(3, "e2", "e0", 0.2, "e1", 1.0, "e2", 0.5));
        assertThat(t0.forgettingByTask()).isEmpty();
        assertThat(t1.forgettingByTask().get("e0")).isCloseTo(0.5, EPS);
        // Chaudhry's max over earlier rows equals Avalanche's value-right-after here because every
        // diagonal entry is its column's maximum: e1 = max(a(e0,e1) = 0.0, a(e1,e1) = 0.8) − 1.0 = −0.2
        assertThat(t2.forgettingByTask().get("e0")).isCloseTo(0.8, EPS);
        assertThat(t2.forgettingByTask().get("e1")).isCloseTo(-0.2, EPS);
        assertThat(t2.forgetting()).isCloseTo((0.8 - 0.2) / 2, EPS);
        // same matrix through Avalanche's formula
        double[][] vals = {{1.0, 0.0, 0.0}, {0.5, 0.8, 1.0}, {0.2, 1.0, 0.5}};
        assertThat(avalancheForgetting(vals, new int[] {0, 1, 2})[2]).containsExactly(new double[] {0.8, -0.2, 0.0},
                within(1e-12));
    }

    /**
     * Avalanche's test_non_diag_forgetting: a fourth row measured in the middle of experience 2
     * (boundary_indices = [0, 1, 3]); in a trace that is simply a second evaluation of task e2.
     */
    @Test
    void avalancheNonDiagonalMatrixMatchesAtEveryEvaluation() {
        double[][] vals = {{1.0, 0.0, 0.0}, {0.5, 0.8, 1.0}, {0.5, 0.5, 1.0}, {0.2, 1.0, 0.5}};
        double[][] target = {{0, 0, 0}, {0.5, 0, 0}, {0.5, 0.3, 0}, {0.8, -0.2, 0}};
        String[] learning = {"e0", "e1", "e2", "e2"};
        ContinualMetricsEngine engine = new ContinualMetricsEngine(EngineConfig.defaults(Direction.ACCURACY));
        double[][] avalanche = avalancheForgetting(vals, new int[] {0, 1, 3});
        for (int t = 0; t < vals.length; t++) {
            MetricsSnapshot s = engine.record(at(t + 1, learning[t], "e0", vals[t][0], "e1", vals[t][1], "e2", vals[t][2]));
            for (int k = 0; k < 3; k++) {
                Double ours = s.forgettingByTask().get("e" + k);
                // Avalanche reports 0 before and while an experience is learned; we leave it undefined.
                double expected = ours == null ? 0.0 : ours;
                assertThat(expected).as("t=%d e%d", t, k).isCloseTo(target[t][k], EPS);
                assertThat(avalanche[t][k]).isCloseTo(target[t][k], EPS);
            }
        }
    }

    /** Where the two definitions part: a task that keeps improving after its own training. */
    @Test
    void chaudhryTakesTheBestEarlierValueAvalancheTheValueRightAfterTraining() {
        double[][] vals = {{0.7, 0.0}, {0.9, 0.8}, {0.2, 0.6}};
        String[] learning = {"e0", "e1", "e2"};
        ContinualMetricsEngine engine = new ContinualMetricsEngine(EngineConfig.defaults(Direction.ACCURACY));
        MetricsSnapshot s = null;
        for (int t = 0; t < vals.length; t++) {
            s = engine.record(at(t + 1, learning[t], "e0", vals[t][0], "e1", vals[t][1]));
        }
        // ours: max(0.7, 0.9) − 0.2 = 0.7; Avalanche: 0.7 − 0.2 = 0.5
        assertThat(s.forgettingByTask().get("e0")).isCloseTo(0.7, EPS);
        assertThat(avalancheForgetting(vals, new int[] {0, 1})[2][0]).isCloseTo(0.5, EPS);
    }

    /** ContinualEvaluation's windowed forgetting, recomputed from the deque at every step. */
    @Test
    void windowedForgettingAndPlasticityMatchTheFullWindowRecomputation() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int window = 2 + random.nextInt(12);
            int length = 1 + random.nextInt(60);
            ContinualMetricsEngine engine = new ContinualMetricsEngine(
                    EngineConfig.defaults(Direction.ACCURACY).withWindows(List.of(window)));
            Deque<Double> deque = new ArrayDeque<>();
            double wf = 0;
            double wp = 0;
            MetricsSnapshot s = null;
            for (int n = 1; n <= length; n++) {
                double acc = Math.round(random.nextDouble() * 100) / 100.0;
                s = engine.record(at(n, "A", "A", acc));
                deque.addLast(acc);
                if (deque.size() > window) {
                    deque.removeFirst();
                }
                wf = Math.max(wf, maxConsecutiveDelta(deque, true));
                wp = Math.max(wp, maxConsecutiveDelta(deque, false));
                assertThat(s.wf(window)).as("trial %d n %d", trial, n).isCloseTo(wf, EPS);
                assertThat(s.wp(window)).as("trial %d n %d", trial, n).isCloseTo(wp, EPS);
            }
        }
    }

    @Test
    void worstCaseAccuracyEqualsTheMeanOfCurrentAndPerTaskMinima() {
        MetricsSnapshot s = Evals.replay(EngineConfig.defaults(Direction.ACCURACY),
                at(1, "A", "A", 0.9),
                at(2, "B", "A", 0.4, "B", 0.7),
                at(3, "C", "A", 0.6, "B", 0.5, "C", 0.3),
                at(4, "C", "A", 0.7, "B", 0.6, "C", 0.8));
        // ContinualEvaluation: mean([A(C) = 0.8] + [min A = 0.4, min B = 0.5]) = 1.7 / 3
        assertThat(s.wcAcc()).isCloseTo((0.8 + 0.4 + 0.5) / 3, EPS);
        // docs/metrics.md: (1/3)·0.8 + (2/3)·min-ACC, min-ACC = (0.4 + 0.5) / 2
        assertThat(s.wcAcc()).isCloseTo(0.8 / 3 + 2.0 / 3 * 0.45, EPS);
    }

    /** max over i < j in the deque of (A_i − A_j) for forgetting, (A_j − A_i) for plasticity. */
    private static double maxConsecutiveDelta(Deque<Double> deque, boolean forgetting) {
        List<Double> values = new ArrayList<>(deque);
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.size(); i++) {
            for (int j = i + 1; j < values.size(); j++) {
                double delta = forgetting ? values.get(i) - values.get(j) : values.get(j) - values.get(i);
                best = Math.max(best, delta);
            }
        }
        return values.size() <= 1 ? 0 : best;
    }

    /**
     * Avalanche's functional forgetting: for experience k learned at time b_k,
     * F[t][k] = acc[b_k][k] − acc[t][k] for t &gt; b_k, else 0.
     */
    private static double[][] avalancheForgetting(double[][] acc, int[] boundary) {
        double[][] f = new double[acc.length][acc[0].length];
        for (int k = 0; k < boundary.length; k++) {
            for (int t = boundary[k] + 1; t < acc.length; t++) {
                f[t][k] = acc[boundary[k]][k] - acc[t][k];
            }
        }
        return f;
    }
}
