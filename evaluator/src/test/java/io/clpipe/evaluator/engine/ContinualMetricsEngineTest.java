package io.clpipe.evaluator.engine;

import static io.clpipe.evaluator.engine.Evals.at;
import static io.clpipe.evaluator.engine.Evals.initial;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Worked examples computed by hand; the arithmetic is in the comments. */
class ContinualMetricsEngineTest {

    private static final Offset<Double> EPS = within(1e-12);

    private static EngineConfig accuracy() {
        return EngineConfig.defaults(Direction.ACCURACY);
    }

    /**
     * Three tasks A, B, C, two evaluations each, the initial model at iteration 0, and each next task
     * scored in the last evaluation of the previous one (so FWT is defined).
     */
    private static final Evaluation[] THREE_TASKS = {
            initial("A", 0.10, "B", 0.12, "C", 0.08),
            at(1, "A", "A", 0.60, "B", 0.15),
            at(2, "A", "A", 0.90, "B", 0.20),
            at(3, "B", "A", 0.50, "B", 0.70, "C", 0.10),
            at(4, "B", "A", 0.95, "B", 0.85, "C", 0.14),
            at(5, "C", "A", 0.70, "B", 0.60, "C", 0.75),
            at(6, "C", "A", 0.75, "B", 0.80, "C", 0.95),
    };

    @Test
    void threeTaskAccuracyMatrixAndEverythingDerivedFromIt() {
        MetricsSnapshot s = Evals.replay(accuracy().withWindows(List.of(2, 10)).withLcaBeta(2), THREE_TASKS);

        // a(k, j) = score on j at the last iteration of k (A: 2, B: 4, C: 6); a(A, C) was never scored.
        //        A     B     C
        //   A  0.90  0.20  null
        //   B  0.95  0.85  0.14
        //   C  0.75  0.80  0.95
        assertThat(s.tasks()).containsExactly("A", "B", "C");
        assertThat(s.learnedTasks()).isEqualTo(3);
        assertThat(s.accuracyMatrix()).containsExactly(
                Arrays.asList(0.90, 0.20, null),
                List.of(0.95, 0.85, 0.14),
                List.of(0.75, 0.80, 0.95));

        // Chaudhry: f_A = max(0.90, 0.95) − 0.75 = 0.20 (Avalanche's value-right-after would be 0.90 − 0.75 = 0.15)
        //           f_B = max(0.20, 0.85) − 0.80 = 0.05;  forgetting = (0.20 + 0.05) / 2 = 0.125
        assertThat(s.forgettingByTask().get("A")).isCloseTo(0.20, EPS);
        assertThat(s.forgettingByTask().get("B")).isCloseTo(0.05, EPS);
        assertThat(s.forgetting()).isCloseTo(0.125, EPS);
        // BWT = ((0.75 − 0.90) + (0.80 − 0.85)) / 2 = (−0.15 − 0.05) / 2 = −0.10
        assertThat(s.bwt()).isCloseTo(-0.10, EPS);
        // FWT = ((a(A,B) − b_B) + (a(B,C) − b_C)) / 2 = ((0.20 − 0.12) + (0.14 − 0.08)) / 2 = 0.07
        assertThat(s.fwt()).isCloseTo(0.07, EPS);
        // learning accuracy = (0.90 + 0.85 + 0.95) / 3 = 0.90
        assertThat(s.learningAccuracy()).isCloseTo(0.90, EPS);

        // ACC = (0.75 + 0.80 + 0.95) / 3 = 2.50 / 3
        assertThat(s.acc()).isCloseTo(2.50 / 3, EPS);
        // min-ACC: A after t_A = 2: min(0.50, 0.95, 0.70, 0.75) = 0.50; B after t_B = 4: min(0.60, 0.80) = 0.60
        //          (0.50 + 0.60) / 2 = 0.55
        assertThat(s.minAcc()).isCloseTo(0.55, EPS);
        // WC-ACC = (1/3)·0.95 + (2/3)·0.55 = 0.31667 + 0.36667 = 0.68333
        assertThat(s.wcAcc()).isCloseTo(0.95 / 3 + 2.0 / 3 * 0.55, EPS);

        // WF: A from its first learning iteration: 0.60 0.90 0.50 0.95 0.70 0.75 → largest drop 0.90 → 0.50 = 0.40
        //     B from iteration 3 (its 0.15, 0.20 before it was learned do not count): 0.70 0.85 0.60 0.80 → 0.25
        //     C: 0.75 0.95 → 0.  Both drops are between neighbours, so w = 2 and w = 10 agree: 0.65 / 3
        assertThat(s.wf(2)).isCloseTo(0.65 / 3, EPS);
        assertThat(s.wf(10)).isCloseTo(0.65 / 3, EPS);
        // WP^10: A 0.50 → 0.95 = 0.45; B 0.60 → 0.80 = 0.20; C 0.75 → 0.95 = 0.20 → 0.85 / 3
        // WP^2:  the same rises are between neighbours → 0.85 / 3
        assertThat(s.wp(10)).isCloseTo(0.85 / 3, EPS);
        assertThat(s.wp(2)).isCloseTo(0.85 / 3, EPS);
        // LCA (β = 2): A (0.60 + 0.90)/2 = 0.75, B (0.70 + 0.85)/2 = 0.775, C (0.75 + 0.95)/2 = 0.85 → 2.375 / 3
        assertThat(s.lca()).isCloseTo(2.375 / 3, EPS);

        // Gaps. The boundary is the old task's last evaluated iteration (it was the new task's first).
        // Boundary 2, A: before 0.90 (iteration 2), worst 0.50 → depth 0.40; 0.50 < 0.89 leaves the
        // tolerance, 0.95 ≥ 0.89 at iteration 4 is back → recovery 4 − 2 = 2.
        // Boundary 4, A: before 0.95, scores 0.70, 0.75 → depth 0.25, never back within 0.94 → null.
        // Boundary 4, B: before 0.85, scores 0.60, 0.80 → depth 0.25, 0.80 < 0.84 → null.
        assertThat(s.gaps()).hasSize(3);
        assertGap(s.gaps().get(0), 2, "A", 0.90, 0.40, 2L, false);
        assertThat(s.gaps().get(0).beforeIteration()).isEqualTo(2);
        assertGap(s.gaps().get(1), 4, "A", 0.95, 0.25, null, true);
        assertGap(s.gaps().get(2), 4, "B", 0.85, 0.25, null, true);
    }

    @Test
    void theLearningTasksRowIsProvisionalMidStream() {
        ContinualMetricsEngine engine = new ContinualMetricsEngine(accuracy());
        MetricsSnapshot s = null;
        for (int i = 0; i <= 4; i++) {
            s = engine.record(THREE_TASKS[i]);
        }
        // At iteration 4 task B is current and C has been scored but not learned: it is a column only.
        assertThat(s.tasks()).containsExactly("A", "B", "C");
        assertThat(s.learnedTasks()).isEqualTo(2);
        // f_A = a(A,A) − a(B,A) = 0.90 − 0.95 = −0.05 (B improved A); BWT = 0.95 − 0.90 = +0.05
        assertThat(s.forgetting()).isCloseTo(-0.05, EPS);
        assertThat(s.bwt()).isCloseTo(0.05, EPS);
        // FWT over B only: a(A,B) − b_B = 0.20 − 0.12 = 0.08
        assertThat(s.fwt()).isCloseTo(0.08, EPS);
        assertThat(s.a("B", "C")).isCloseTo(0.14, EPS);
    }

    /** A clear stability gap: task A collapses when B starts and recovers four iterations later. */
    private static final Evaluation[] GAP = {
            at(1, "A", "A", 0.80),
            at(2, "A", "A", 0.90),
            at(3, "A", "A", 0.92),
            at(4, "B", "A", 0.40, "B", 0.30),
            at(5, "B", "A", 0.55, "B", 0.50),
            at(6, "B", "A", 0.75, "B", 0.70),
            at(7, "B", "A", 0.88, "B", 0.80),
            at(8, "B", "A", 0.915, "B", 0.85),
            at(9, "B", "A", 0.93, "B", 0.90),
    };

    @Test
    void stabilityGapDepthAndRecovery() {
        MetricsSnapshot s = Evals.replay(accuracy(), GAP);
        // boundary b = 3 (A's last iteration); before = 0.92 (iteration 3 = b); worst 0.40 at iteration 4
        // → depth 0.92 − 0.40 = 0.52. Tolerance 0.01 → back when ≥ 0.91: 0.40 0.55 0.75 0.88 are out,
        // 0.915 at iteration 8 → 8 − 3 = 5 (counted from b; it was 4, counted from B's first iteration).
        assertThat(s.gaps()).hasSize(1);
        StabilityGap gap = s.gaps().get(0);
        assertGap(gap, 3, "A", 0.92, 0.52, 5L, true);
        assertThat(gap.beforeIteration()).isEqualTo(3);
        assertThat(gap.worst()).isEqualTo(0.40);
        assertThat(gap.worstIteration()).isEqualTo(4);
        // min-ACC = 0.40; WC-ACC = (1/2)·0.90 + (1/2)·0.40 = 0.65; ACC = (0.93 + 0.90) / 2 = 0.915
        assertThat(s.minAcc()).isCloseTo(0.40, EPS);
        assertThat(s.wcAcc()).isCloseTo(0.65, EPS);
        assertThat(s.acc()).isCloseTo(0.915, EPS);
    }

    @Test
    void recoveryToleranceIsConfigurable() {
        // 0.05 → back when ≥ 0.87: 0.88 at iteration 7 → 7 − 3 = 4
        assertThat(Evals.replay(accuracy().withRecoveryTolerance(0.05), GAP).gaps().get(0).recoveryIterations())
                .isEqualTo(4L);
        // 0.60 → back when ≥ 0.32: 0.40 never left the band → 0
        assertThat(Evals.replay(accuracy().withRecoveryTolerance(0.60), GAP).gaps().get(0).recoveryIterations())
                .isEqualTo(0L);
    }

    @Test
    void aTaskThatNeverRecoversHasNullRecoveryAndItsGapClosesAtTheNextBoundary() {
        MetricsSnapshot s = Evals.replay(accuracy(),
                at(1, "A", "A", 0.90),
                at(2, "B", "A", 0.50, "B", 0.30),
                at(3, "B", "A", 0.60, "B", 0.60),
                at(4, "B", "A", 0.70, "B", 0.80),
                at(5, "C", "A", 0.72, "B", 0.50, "C", 0.40));
        assertThat(s.gaps()).hasSize(3);
        // Boundary 1, A: before 0.90, worst 0.50 → depth 0.40; 0.50 0.60 0.70 all < 0.89 → null; closed at 4.
        assertGap(s.gaps().get(0), 1, "A", 0.90, 0.40, null, false);
        // Boundary 4, A: before 0.70, 0.72 is better → depth 0.70 − 0.72 = −0.02 (no gap), never left → 0.
        assertGap(s.gaps().get(1), 4, "A", 0.70, -0.02, 0L, true);
        // Boundary 4, B: before 0.80, 0.50 → depth 0.30, not back → null.
        assertGap(s.gaps().get(2), 4, "B", 0.80, 0.30, null, true);
    }

    @Test
    void singleTaskTraceHasNoMinAccNorMatrixComparisons() {
        MetricsSnapshot s = Evals.replay(accuracy(),
                at(1, "A", "A", 0.50), at(2, "A", "A", 0.70), at(3, "A", "A", 0.90));
        assertThat(s.acc()).isCloseTo(0.90, EPS);
        assertThat(s.minAcc()).isNull();
        // k = 1: WC-ACC = (1/1)·A(1, n) + 0 = 0.90
        assertThat(s.wcAcc()).isCloseTo(0.90, EPS);
        assertThat(s.forgetting()).isNull();
        assertThat(s.forgettingByTask()).isEmpty();
        assertThat(s.bwt()).isNull();
        assertThat(s.fwt()).isNull();
        assertThat(s.learningAccuracy()).isCloseTo(0.90, EPS);
        assertThat(s.accuracyMatrix()).containsExactly(List.of(0.90));
        assertThat(s.gaps()).isEmpty();
        // only rises: WF = 0, WP^10 = 0.90 − 0.50 = 0.40
        assertThat(s.wf(10)).isZero();
        assertThat(s.wp(10)).isCloseTo(0.40, EPS);
        // β = 10 scores never reached → LCA undefined
        assertThat(s.lca()).isNull();
    }

    @Test
    void lossDirectionForLanguageModels() {
        EngineConfig loss = EngineConfig.defaults(Direction.LOSS).withLcaBeta(2);
        MetricsSnapshot s = Evals.replay(loss,
                initial("EN", 5.5, "DE", 5.6),
                at(1, "EN", "EN", 3.0, "DE", 4.0),
                at(2, "EN", "EN", 2.5, "DE", 3.9),
                at(3, "DE", "EN", 3.1, "DE", 2.8),
                at(4, "DE", "EN", 2.9, "DE", 2.2));
        // ACC = mean latest loss = (2.9 + 2.2) / 2 = 2.55
        assertThat(s.acc()).isCloseTo(2.55, EPS);
        // min-ACC takes the WORST score, i.e. the highest loss of EN after t_EN = 2: max(3.1, 2.9) = 3.1
        assertThat(s.minAcc()).isCloseTo(3.1, EPS);
        // WC-ACC = (1/2)·2.2 + (1/2)·3.1 = 2.65
        assertThat(s.wcAcc()).isCloseTo(2.65, EPS);
        // forgetting is a loss RISE: best earlier a(l, EN) = min loss = 2.5; now 2.9 → +0.4
        assertThat(s.forgetting()).isCloseTo(0.4, EPS);
        // BWT is a gain (positive = better): EN went 2.5 → 2.9, a loss rise → −0.4
        assertThat(s.bwt()).isCloseTo(-0.4, EPS);
        // FWT gain: b_DE = 5.6 → a(EN, DE) = 3.9 is 1.7 lower → +1.7
        assertThat(s.fwt()).isCloseTo(1.7, EPS);
        // learning "accuracy" = mean diagonal loss = (2.5 + 2.2) / 2 = 2.35
        assertThat(s.learningAccuracy()).isCloseTo(2.35, EPS);
        // gap depth is a loss rise: before 2.5, worst (highest) 3.1 → 0.6; 2.9 > 2.51 → not recovered
        assertGap(s.gaps().get(0), 2, "EN", 2.5, 0.6, null, true);
        // WF^10: EN 3.0 2.5 3.1 2.9 → largest rise 2.5 → 3.1 = 0.6; DE 2.8 2.2 → 0 → 0.3
        assertThat(s.wf(10)).isCloseTo(0.3, EPS);
        // WP^10: EN largest fall 3.0 → 2.5 = 0.5; DE 2.8 → 2.2 = 0.6 → 0.55
        assertThat(s.wp(10)).isCloseTo(0.55, EPS);
        // LCA (β = 2): EN (3.0 + 2.5)/2 = 2.75, DE (2.8 + 2.2)/2 = 2.5 → 2.625
        assertThat(s.lca()).isCloseTo(2.625, EPS);
    }

    @Test
    void lossRecoveryToleranceIsAboveTheBeforeLoss() {
        // before 2.5 (b = 2); tolerance 0.5 → back when loss ≤ 3.0: 3.1 out, 2.9 in at iteration 4 → 4 − 2 = 2
        MetricsSnapshot s = Evals.replay(EngineConfig.defaults(Direction.LOSS).withRecoveryTolerance(0.5),
                at(2, "EN", "EN", 2.5),
                at(3, "DE", "EN", 3.1, "DE", 2.8),
                at(4, "DE", "EN", 2.9, "DE", 2.2));
        assertThat(s.gaps().get(0).recoveryIterations()).isEqualTo(2L);
    }

    @Test
    void windowedForgettingWithWindowsShorterThanTheTrace() {
        // A slow decline and slow recovery: 1.0 0.9 0.8 0.7 0.6 0.7 0.8 0.9
        MetricsSnapshot s = Evals.replay(accuracy().withWindows(List.of(2, 3, 10)),
                at(1, "A", "A", 1.0), at(2, "A", "A", 0.9), at(3, "A", "A", 0.8), at(4, "A", "A", 0.7),
                at(5, "A", "A", 0.6), at(6, "A", "A", 0.7), at(7, "A", "A", 0.8), at(8, "A", "A", 0.9));
        // w = 2: neighbours only → 0.1; w = 3: two steps → 1.0 − 0.8 = 0.2; w = 10 ≥ trace → 1.0 − 0.6 = 0.4.
        // The last three evaluations (0.7 0.8 0.9) contain no drop: the max over time keeps 0.2.
        assertThat(s.wf(2)).isCloseTo(0.1, EPS);
        assertThat(s.wf(3)).isCloseTo(0.2, EPS);
        assertThat(s.wf(10)).isCloseTo(0.4, EPS);
        // rises: 0.6 → 0.7 (w = 2) 0.1; 0.6 → 0.8 (w = 3) 0.2; 0.6 → 0.9 (w = 10) 0.3
        assertThat(s.wp(2)).isCloseTo(0.1, EPS);
        assertThat(s.wp(3)).isCloseTo(0.2, EPS);
        assertThat(s.wp(10)).isCloseTo(0.3, EPS);
        assertThat(s.wf(5)).as("not a configured window").isNull();
    }

    @Test
    void learningCurveAreaCountsOnlyTheFirstBetaScoresWhileLearningEachTask() {
        Evaluation[] trace = {
                at(1, "A", "A", 0.2), at(2, "A", "A", 0.4), at(3, "A", "A", 0.6), at(4, "A", "A", 0.8),
                at(5, "B", "A", 0.1, "B", 0.1), at(6, "B", "A", 0.1, "B", 0.3),
                at(7, "A", "A", 0.9, "B", 0.2),
        };
        // β = 3: A's first three while learning it (0.2 0.4 0.6) → 0.4; B has only two → not counted yet
        // (as in ContinualEvaluation). A's later scores (0.1 while learning B, 0.9 on its return) do not count.
        assertThat(Evals.replay(accuracy().withLcaBeta(3), trace).lca()).isCloseTo(0.4, EPS);
        // β = 2: A (0.2 + 0.4)/2 = 0.3, B (0.1 + 0.3)/2 = 0.2 → 0.25
        assertThat(Evals.replay(accuracy().withLcaBeta(2), trace).lca()).isCloseTo(0.25, EPS);
    }

    @Test
    void forwardTransferIsNullWithoutTheInitialModelOrAPreBoundaryScore() {
        Evaluation[] noInitial = Arrays.copyOfRange(THREE_TASKS, 1, THREE_TASKS.length);
        assertThat(Evals.replay(accuracy(), noInitial).fwt()).isNull();
        // Initial model present but C never scored before its boundary → a(B, C) unknown → null
        MetricsSnapshot s = Evals.replay(accuracy(),
                initial("A", 0.1, "B", 0.1, "C", 0.1),
                at(1, "A", "A", 0.9, "B", 0.2),
                at(2, "B", "A", 0.8, "B", 0.9),
                at(3, "C", "A", 0.7, "B", 0.8, "C", 0.9));
        assertThat(s.fwt()).isNull();
    }

    @Test
    void recurringTaskRestartsItsMinimumAtItsLatestEnd() {
        MetricsSnapshot s = Evals.replay(accuracy(),
                at(1, "A", "A", 0.90),
                at(2, "B", "A", 0.30, "B", 0.80),
                at(3, "A", "A", 0.95, "B", 0.60),
                at(4, "B", "A", 0.85, "B", 0.90));
        // t_A is now 3 (its latest iteration), so min-ACC only looks at A's 0.85 after it, not the 0.30
        // of its first absence (ContinualEvaluation keeps the all-time minimum, 0.30).
        assertThat(s.minAcc()).isCloseTo(0.85, EPS);
        // rows: A = iteration 3 (its latest), B = iteration 4; f_A = a(A,A) 0.95 − a(B,A) 0.85 = 0.10
        assertThat(s.tasks()).containsExactly("A", "B");
        assertThat(s.accuracyMatrix()).containsExactly(List.of(0.95, 0.60), List.of(0.85, 0.90));
        assertThat(s.forgetting()).isCloseTo(0.10, EPS);
        // one gap per boundary (the old task's last iteration) and old task: 1/A, 2/B, 3/A
        assertThat(s.gaps()).extracting(StabilityGap::boundaryIteration, StabilityGap::task)
                .containsExactly(tuple(1L, "A"), tuple(2L, "B"), tuple(3L, "A"));
        assertGap(s.gaps().get(0), 1, "A", 0.90, 0.60, null, false);
        assertGap(s.gaps().get(1), 2, "B", 0.80, 0.20, null, false);
        assertGap(s.gaps().get(2), 3, "A", 0.95, 0.10, null, true);
    }

    @Test
    void closedGapHistoryIsBounded() {
        ContinualMetricsEngine engine = new ContinualMetricsEngine(accuracy().withGapHistory(2));
        String[] cycle = {"A", "B"};
        for (int n = 1; n <= 10; n++) {
            engine.accept(at(n, cycle[n % 2], "A", 0.5, "B", 0.5));
        }
        MetricsSnapshot s = engine.snapshot();
        // boundaries at 1..9 (nine: each the old task's last iteration); closed gaps 1..8, of which the
        // last two (7, 8) are kept; 9 is open
        assertThat(s.gaps()).extracting(StabilityGap::boundaryIteration).containsExactly(7L, 8L, 9L);
        assertThat(engine.footprint().closedGaps()).isEqualTo(2);
    }

    @Test
    void initialModelAloneDefinesNoMetrics() {
        MetricsSnapshot s = Evals.replay(accuracy(), initial("A", 0.1));
        assertThat(s.learningTask()).isNull();
        assertThat(s.learnedTasks()).isZero();
        assertThat(s.tasks()).containsExactly("A");
        assertThat(s.acc()).isNull();
        assertThat(s.wcAcc()).isNull();
        assertThat(s.wf(10)).isNull();
        assertThat(s.accuracyMatrix()).isEmpty();
    }

    @Test
    void iterationsMustIncrease() {
        ContinualMetricsEngine engine = new ContinualMetricsEngine(accuracy());
        engine.accept(at(5, "A", "A", 0.5));
        assertThatThrownBy(() -> engine.accept(at(5, "A", "A", 0.6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 after 5");
        assertThatThrownBy(() -> new ContinualMetricsEngine(accuracy()).snapshot())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void snapshotIsImmutable() {
        MetricsSnapshot s = Evals.replay(accuracy(), THREE_TASKS);
        assertThatThrownBy(() -> s.accuracyMatrix().get(0).set(0, 1.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.gaps().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.scores().put("A", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    private static void assertGap(StabilityGap gap, long boundary, String task, double before, double depth,
                                  Long recovery, boolean open) {
        assertThat(gap.boundaryIteration()).isEqualTo(boundary);
        assertThat(gap.task()).isEqualTo(task);
        assertThat(gap.before()).isCloseTo(before, EPS);
        assertThat(gap.depth()).isCloseTo(depth, EPS);
        assertThat(gap.recoveryIterations()).isEqualTo(recovery);
        assertThat(gap.open()).isEqualTo(open);
    }
}
