package io.clpipe.app.reproduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.clpipe.app.reproduce.EvalPeriodicity.Point;
import io.clpipe.app.report.RunMetrics;
import io.clpipe.schemas.MetricsJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalPeriodicityTest {

    /** Iteration 0 (initial model), task A over 1..12, task B over 13..25. */
    private static List<Point> twoTasks() {
        List<Point> points = new ArrayList<>();
        points.add(new Point(0, null));
        for (long n = 1; n <= 25; n++) {
            points.add(new Point(n, n <= 12 ? "A" : "B"));
        }
        return points;
    }

    @Test
    void keepsMultiplesOfRhoTheInitialModelAndEveryTaskEnd() {
        assertThat(EvalPeriodicity.keptIterations(twoTasks(), 10)).containsExactly(0L, 10L, 12L, 20L, 25L);
        assertThat(EvalPeriodicity.keptIterations(twoTasks(), 5)).containsExactly(0L, 5L, 10L, 12L, 15L, 20L, 25L);
        assertThat(EvalPeriodicity.keptIterations(twoTasks(), 1000)).containsExactly(0L, 12L, 25L);
    }

    @Test
    void rhoOneKeepsEverything() {
        assertThat(EvalPeriodicity.keptIterations(twoTasks(), 1)).hasSize(26);
    }

    @Test
    void refusesBadPeriodsAndUnorderedIterations() {
        assertThatThrownBy(() -> EvalPeriodicity.keptIterations(twoTasks(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EvalPeriodicity.keptIterations(List.of(new Point(0, null), new Point(2, "A"), new Point(1, "A")), 1))
                .hasMessageContaining("iterations must increase");
    }

    @Test
    void subsampledRecordsAreTheRunsOwnRecordsAtTheKeptIterations() {
        List<String> lines = MetricLines.twoTasksWithDip(12, 15, 0.2);
        List<String> kept = EvalPeriodicity.subsample(lines, 10);
        assertThat(kept).containsExactly(lines.get(0), lines.get(10), lines.get(12), lines.get(20), lines.get(24));
    }

    @Test
    void aRepeatedIterationKeepsItsLastRecord() {
        List<String> lines = new ArrayList<>(MetricLines.twoTasksWithDip(12, 15, 0.2));
        String again = MetricLines.line(20, "B", Map.of("A", 0.5, "B", 0.8));
        lines.add(21, again);
        List<String> kept = EvalPeriodicity.subsample(lines, 10);
        assertThat(kept).hasSize(5).contains(again).doesNotContain(lines.get(20));
        assertThat(kept.stream().map(l -> MetricsJson.parse(l.getBytes(StandardCharsets.UTF_8)).getIteration()))
                .containsExactly(0L, 10L, 12L, 20L, 24L);
    }

    @Test
    void sparseEvaluationMissesAGapBetweenItsEvaluations() {
        // A dips to 0.2 at iteration 15 only: ρ = 1 sees it, ρ = 10 (iterations 0, 10, 12, 20, 24) does not
        List<String> lines = MetricLines.twoTasksWithDip(12, 15, 0.2);
        RunMetrics every = RunMetrics.of(EvalPeriodicity.subsample(lines, 1));
        RunMetrics tenth = RunMetrics.of(EvalPeriodicity.subsample(lines, 10));
        assertThat(every.snapshot().minAcc()).isCloseTo(0.2, within(1e-9));
        assertThat(every.snapshot().wcAcc()).isCloseTo(0.8 / 2 + 0.2 / 2, within(1e-9));
        assertThat(tenth.snapshot().minAcc()).isCloseTo(0.9, within(1e-9));
        assertThat(tenth.snapshot().wcAcc()).isCloseTo(0.8 / 2 + 0.9 / 2, within(1e-9));
        // the final accuracy is the same: the last record is kept at every ρ
        assertThat(tenth.snapshot().acc()).isEqualTo(every.snapshot().acc());
    }

    @Test
    void dipOnAMultipleOfRhoIsSeen() {
        List<String> lines = MetricLines.twoTasksWithDip(12, 20, 0.3);
        assertThat(RunMetrics.of(EvalPeriodicity.subsample(lines, 10)).snapshot().minAcc()).isCloseTo(0.3, within(1e-9));
        assertThat(RunMetrics.of(EvalPeriodicity.subsample(lines, 100)).snapshot().minAcc()).isCloseTo(0.9, within(1e-9));
    }
}
