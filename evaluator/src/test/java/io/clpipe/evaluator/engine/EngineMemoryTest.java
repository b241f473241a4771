package io.clpipe.evaluator.engine;

import static io.clpipe.evaluator.engine.Evals.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The engine's state must not grow with the number of evaluations, only with tasks and windows. */
class EngineMemoryTest {

    @Test
    void footprintStaysBoundedOverAMillionEvaluationsOfThreeRecurringTasks() {
        EngineConfig config = EngineConfig.defaults(Direction.ACCURACY); // windows 10 and 100, 100 closed gaps
        ContinualMetricsEngine engine = new ContinualMetricsEngine(config);
        Random random = new Random(7);
        String[] tasks = {"A", "B", "C"};
        Footprint early = null;
        Footprint atTenThousand = null;
        for (int n = 1; n <= 1_000_000; n++) {
            // a task switch every 1000 iterations, cycling A B C A … (999 boundaries)
            String learning = tasks[((n - 1) / 1000) % 3];
            engine.accept(at(n, learning, "A", random.nextDouble(), "B", random.nextDouble(), "C", random.nextDouble()));
            if (n == 5) {
                early = engine.footprint();
            } else if (n == 10_000) {
                atTenThousand = engine.footprint();
            }
        }
        Footprint end = engine.footprint();

        // The accessor is live: five evaluations of A (B, C only scored) hold 5 window values.
        assertThat(early).isEqualTo(new Footprint(3, 5, 3, 0, 0));
        // By n = 10 000: boundaries at 1001 … 9001; the first has one old task (A), later ones two, and the
        // two of 9001 are still open → closed = 1 + 2·7 = 15. Windows are full: 3 tasks × (100 − 1).
        assertThat(atTenThousand).isEqualTo(new Footprint(3, 3 * 99, 9, 2, 1 + 2 * 7));
        // At the end only the history bound (100 closed gaps) has grown; nothing else moved.
        assertThat(end).isEqualTo(new Footprint(3, 3 * 99, 9, 2, 100));
        assertThat(end.total()).isLessThanOrEqualTo(3 + 3 * 99 + 9 + 2 + 100);
        assertThat(engine.snapshot().gaps()).hasSize(102);
    }
}
