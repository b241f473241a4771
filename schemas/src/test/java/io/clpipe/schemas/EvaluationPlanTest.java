package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationPlanTest {

    /** Iterations 0..last evaluated by the plan with one boundary at {@code boundary} (−1: none). */
    private static List<Long> evaluated(EvaluationPlan plan, long last, long boundary) {
        List<Long> out = new ArrayList<>();
        for (long n = 0; n <= last; n++) {
            long since = boundary < 0 || n < boundary ? -1 : n - boundary;
            if (plan.shouldEvaluate(n, since)) {
                out.add(n);
            }
        }
        return out;
    }

    @Test
    void everyRhoIterationsIncludingTheInitialModel() {
        assertThat(evaluated(EvaluationPlan.every(5), 20, -1)).containsExactly(0L, 5L, 10L, 15L, 20L);
        assertThat(evaluated(EvaluationPlan.every(1), 3, -1)).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void boundaryDenseEvaluatesTheFirstWIterationsAfterABoundary() {
        // ρ = 5, W = 3, boundary at 12: every 5th plus 12, 13, 14 (n − b = 0, 1, 2)
        assertThat(evaluated(EvaluationPlan.boundaryDense(5, 3), 25, 12))
                .containsExactly(0L, 5L, 10L, 12L, 13L, 14L, 15L, 20L, 25L);
    }

    @Test
    void noBoundaryMeansPlainPeriodicity() {
        EvaluationPlan plan = EvaluationPlan.boundaryDense(10, 4);
        assertThat(plan.shouldEvaluate(3, -1)).isFalse();
        assertThat(plan.shouldEvaluate(3, 3)).isTrue();
        assertThat(plan.shouldEvaluate(4, 4)).isFalse();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> EvaluationPlan.every(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EvaluationPlan.boundaryDense(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
