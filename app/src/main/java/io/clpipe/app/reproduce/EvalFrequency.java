package io.clpipe.app.reproduce;

import io.clpipe.app.report.RunMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * min-ACC and WC-ACC of one run as evaluations every ρ iterations would report them (De Lange et al.
 * 2023: sparse evaluation misses the stability gap, so worst-case metrics look better than they are).
 */
final class EvalFrequency {

    static final List<Integer> PERIODS = List.of(1, 10, 100, 1000);

    static final String METHOD = "Each ρ's metrics come from the ρ = 1 run's records at iterations n with n mod ρ = 0 "
            + "(iteration 0 included) plus the last iteration of every task, put through the evaluator's trace engine. "
            + "Evaluation uses fixed eval subsets, so this is exactly what evaluating every ρ iterations (and at each task end, "
            + "as standard evaluation does) would have published.";

    /**
     * @param rho         evaluation period
     * @param evaluations evaluated iterations kept
     * @param metrics     the metrics of those evaluations through the trace engine
     */
    record Row(int rho, int evaluations, RunMetrics metrics) {
    }

    private EvalFrequency() {
    }

    static List<Row> rows(List<String> everyIterationLines) {
        List<Row> rows = new ArrayList<>();
        for (int rho : PERIODS) {
            List<String> kept = EvalPeriodicity.subsample(everyIterationLines, rho);
            rows.add(new Row(rho, kept.size(), RunMetrics.of(kept)));
        }
        return rows;
    }

    static TextTable table(List<Row> rows) {
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) {
            cells.add(List.of(Integer.toString(r.rho()), Integer.toString(r.evaluations()), TextTable.number(r.metrics().snapshot().acc()),
                    TextTable.number(r.metrics().snapshot().minAcc()), TextTable.number(r.metrics().snapshot().wcAcc()),
                    TextTable.number(r.metrics().meanGapDepth())));
        }
        return new TextTable(List.of("ρ", "evaluations", "final ACC", "min-ACC", "WC-ACC", "mean gap depth seen"), cells);
    }
}
