package io.clpipe.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's trace carries the scores the evaluator obtained late for forward transfer. */
class TraceCsvTest {

    private static String line(long n, String task, String tasks, String matrix) {
        return "{\"stream\":\"s\",\"iteration\":" + n + (task == null ? "" : ",\"task\":\"" + task + "\"")
                + ",\"timestamp\":0,\"direction\":\"higher_is_better\",\"tasks\":{" + tasks + "},\"aggregates\":{}"
                + (matrix == null ? "" : ",\"accuracy_matrix\":" + matrix) + "}";
    }

    @Test
    void lateInitialAndTransferScoresGoInAsRowsOfTheModelsTheyCameFrom() {
        // v0 scored only A (B had no eval set); v2, A's last version, listed B unscored; B's eval set came
        // later and the evaluator scored v0 and v2 on it: b_B = 0.12, a(A, B) = 0.2, published in the matrix
        List<String> lines = List.of(
                line(0, "A", "\"A\":{\"accuracy\":0.1,\"loss\":2.0,\"samples\":10}", null),
                line(1, "A", "\"A\":{\"accuracy\":0.6,\"loss\":1.0,\"samples\":10}", null),
                line(2, "A", "\"A\":{\"accuracy\":0.9,\"loss\":0.5,\"samples\":10},\"B\":{\"accuracy\":null,\"loss\":null,\"samples\":0}", null),
                line(3, "B", "\"A\":{\"accuracy\":0.5,\"loss\":1.5,\"samples\":10},\"B\":{\"accuracy\":0.7,\"loss\":0.8,\"samples\":10}",
                        "{\"tasks\":[\"A\",\"B\"],\"initial\":[0.1,0.12],\"rows\":[[0.9,0.2],[0.5,0.7]]}"));
        MetricsHistory history = MetricsHistory.parse(lines);
        String trace = TraceCsv.of(history);
        assertThat(trace).contains("0,,B,0.12\n").contains("2,A,B,0.2\n").doesNotContain("1,A,B");
        RunSummary summary = RunSummary.of(trace, history);
        assertThat(summary.snapshot().fwt()).isCloseTo(0.2 - 0.12, within(1e-12));
        assertThat(history.boundaries()).containsExactly(new Boundary(2, "A", "B"));
    }
}
