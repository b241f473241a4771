package io.clpipe.app.reproduce;

import io.clpipe.app.report.RunMetrics;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import java.util.ArrayList;
import java.util.List;

/** The headline metrics of each strategy run, one row per strategy (the metrics' final values). */
final class StabilityGapTable {

    static final List<String> HEADER = List.of("strategy", "iterations", "ACC", "min-ACC", "WC-ACC", "WF10", "forgetting", "BWT",
            "mean gap depth", "mean recovery (it)", "gaps not recovered");

    private StabilityGapTable() {
    }

    static TextTable of(List<StrategyRun> runs) {
        List<List<String>> rows = new ArrayList<>();
        for (StrategyRun run : runs) {
            RunMetrics m = run.metrics();
            MetricsSnapshot s = m.snapshot();
            rows.add(List.of(run.strategy().cliName(), Long.toString(s.iteration()), TextTable.number(s.acc()),
                    TextTable.number(s.minAcc()), TextTable.number(s.wcAcc()), TextTable.number(m.wf()),
                    TextTable.number(s.forgetting()), TextTable.number(s.bwt()), TextTable.number(m.meanGapDepth()),
                    TextTable.oneDecimal(m.meanRecoveryIterations()), m.unrecoveredGaps() + " of " + s.gaps().size()));
        }
        return new TextTable(HEADER, rows);
    }
}
