package io.clpipe.bench.ingest;

import java.util.List;
import java.util.Locale;

/**
 * What {@code clpipe bench pipeline} measured of ingest.
 *
 * @param runs one entry per timed run
 */
public record IngestBenchReport(List<IngestRun> runs) {

    public IngestBenchReport {
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
    }

    /** Median records/s over the runs (an even count averages the middle two). */
    public double recordsPerSecond() {
        List<Double> sorted = sortedRates();
        int n = sorted.size();
        return (sorted.get((n - 1) / 2) + sorted.get(n / 2)) / 2;
    }

    public double minRecordsPerSecond() {
        return sortedRates().get(0);
    }

    public double maxRecordsPerSecond() {
        return sortedRates().get(runs.size() - 1);
    }

    private List<Double> sortedRates() {
        return runs.stream().map(IngestRun::recordsPerSecond).sorted().toList();
    }

    /** {@code ingest records/s = N}. */
    public String summaryLine() {
        return String.format(Locale.ROOT, "ingest records/s = %.0f", recordsPerSecond());
    }
}
