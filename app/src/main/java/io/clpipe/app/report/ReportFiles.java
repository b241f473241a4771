package io.clpipe.app.report;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link RunReport#write} produced.
 *
 * @param dir          the output folder
 * @param metricsJsonl the metric records as received, one per line
 * @param traceCsv     the trace the summary was computed from ({@code clpipe metrics --trace} reads it)
 * @param summaryJson  the {@code clpipe metrics} keys plus a "run" object
 * @param reportHtml   the self-contained report
 * @param plots        the PNG figures
 * @param console      the headline table and the report's path, for the terminal
 */
public record ReportFiles(Path dir, Path metricsJsonl, Path traceCsv, Path summaryJson, Path reportHtml,
                          List<Path> plots, String console) {

    public ReportFiles {
        plots = List.copyOf(plots);
    }
}
