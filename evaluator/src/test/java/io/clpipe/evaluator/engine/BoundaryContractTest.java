package io.clpipe.evaluator.engine;

import static io.clpipe.evaluator.engine.Evals.at;
import static io.clpipe.evaluator.engine.Evals.initial;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The boundary contract seen from the engine (docs/metrics.md, "Boundaries"): a learner publishes the
 * versions n % ρ = 0 and always b, the old task's last iteration, labelled with the old task; later
 * versions carry the new task. Whatever ρ and b mod ρ, the engine's boundary is b, the gap's "before"
 * is the score at b, and recovery is counted from b.
 */
class BoundaryContractTest {

    /**
     * Task A is learned up to b and scores 0.9 at b (0.5 before); after b, A scores 0.3 until
     * {@code back} and 0.9 from then on. The versions are the ones a learner with cadence ρ publishes.
     */
    @ParameterizedTest(name = "rho {0}, b {1}")
    @CsvSource({"1,7", "1,10", "5,10", "5,11", "5,12", "5,13", "5,14", "5,5"})
    void boundaryBeforeAndRecoveryAreExactlyOnTheOldTasksLastIteration(int rho, long b) {
        long back = b + 2 * rho + 1; // A is back within tolerance from here (the first version ≥ it is scored so)
        long end = b + 6L * rho;
        List<Evaluation> evaluations = new ArrayList<>();
        evaluations.add(initial("A", 0.1, "B", 0.1));
        for (long v = 1; v <= end; v++) {
            if (v % rho != 0 && v != b) {
                continue;
            }
            if (v <= b) {
                evaluations.add(at(v, "A", "A", v == b ? 0.9 : 0.5, "B", 0.2));
            } else {
                evaluations.add(at(v, "B", "A", v < back ? 0.3 : 0.9, "B", 0.8));
            }
        }
        MetricsSnapshot s = Evals.replay(EngineConfig.defaults(Direction.ACCURACY), evaluations.toArray(Evaluation[]::new));
        assertThat(s.gaps()).hasSize(1);
        StabilityGap gap = s.gaps().get(0);
        assertThat(gap.boundaryIteration()).as("boundary (b mod rho = %d)", b % rho).isEqualTo(b);
        assertThat(gap.beforeIteration()).isEqualTo(b);
        assertThat(gap.before()).isEqualTo(0.9);
        assertThat(gap.worstIteration()).as("first evaluation after b").isEqualTo(rho == 1 ? b + 1 : (b / rho + 1) * rho);
        long firstBack = (back + rho - 1) / rho * rho;
        assertThat(gap.recoveryIterations()).isEqualTo(firstBack - b);
        // a(A, B) is B's score on A's last model (at b), whatever ρ: FWT = 0.2 − 0.1
        assertThat(s.fwt()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-12));
    }
}
