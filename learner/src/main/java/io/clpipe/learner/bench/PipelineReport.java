package io.clpipe.learner.bench;

import java.util.List;
import java.util.Locale;

/** What {@code clpipe bench pipeline} measured of the learner; the first row is the headline cadence. */
public record PipelineReport(List<PipelineRow> rows) {

    public PipelineReport {
        rows = List.copyOf(rows);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows");
        }
    }

    /** Median service/memory ratio at the headline snapshot cadence (the goal: ≥ 0.9). */
    public double ratio() {
        return rows.get(0).ratio().median();
    }

    /** {@code learner service/memory = X.XX}. */
    public String summaryLine() {
        return String.format(Locale.ROOT, "learner service/memory = %.2f", ratio());
    }
}
