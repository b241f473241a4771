package io.clpipe.app.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The end-of-run terminal summary: the headline metrics in a compact table and where the report is. */
final class ConsoleTable {

    private ConsoleTable() {
    }

    static String render(RunSettings settings, RunSummary summary, List<Headline> headlines, Path report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s, %s, seed %d: %d tasks, %d iterations, %.1f s%n",
                settings.scenario(), settings.strategy(), settings.seed(), summary.snapshot().learnedTasks(),
                summary.snapshot().iteration(), settings.elapsed().toMillis() / 1000.0));
        out.append(String.format(Locale.ROOT, "  %-16s %10s  %s%n", "metric", "value", "better"));
        for (Headline h : headlines) {
            if (h.console()) {
                out.append(String.format(Locale.ROOT, "  %-16s %10s  %s%n", h.label(), h.formatted(), h.better()));
            }
        }
        long unrecovered = summary.unrecoveredGaps();
        out.append(String.format(Locale.ROOT, "  %d stability gaps, %d not recovered%n", summary.snapshot().gaps().size(), unrecovered));
        out.append("report: ").append(report.toAbsolutePath()).append(System.lineSeparator());
        return out.toString();
    }
}
