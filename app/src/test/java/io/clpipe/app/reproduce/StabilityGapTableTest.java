package io.clpipe.app.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.app.demo.DemoStrategy;
import io.clpipe.app.report.RunMetrics;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StabilityGapTableTest {

    @Test
    void oneRowPerRunWithTheTraceEnginesFinalValues() {
        List<String> lines = MetricLines.twoTasksWithDip(12, 15, 0.2);
        StrategyRun run = new StrategyRun(DemoStrategy.REPLAY, lines, RunMetrics.of(lines), 24, 1.0, Path.of("x"));
        TextTable table = StabilityGapTable.of(List.of(run));
        assertThat(table.header()).containsExactly("strategy", "iterations", "ACC", "min-ACC", "WC-ACC", "WF10", "forgetting", "BWT",
                "mean gap depth", "mean recovery (it)", "gaps not recovered");
        // final: A 0.9, B 0.8 ⇒ ACC 0.85; A's worst after its end 0.2; WC-ACC 0.8/2 + 0.2/2; A fell 0.9 → 0.2 at 15
        // and was back at 0.9 at 16, 4 iterations after the boundary b = 12 (A's last iteration, docs/metrics.md);
        // no forgetting at the end
        assertThat(table.rows()).containsExactly(
                List.of("replay", "24", "0.850", "0.200", "0.500", "0.350", "0.000", "0.000", "0.700", "4.0", "0 of 1"));
    }
}
