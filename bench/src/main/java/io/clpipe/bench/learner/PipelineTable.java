package io.clpipe.bench.learner;

import java.io.PrintStream;
import java.util.Locale;

/** The learner part of {@code clpipe bench pipeline} as a Markdown table. */
final class PipelineTable {

    private PipelineTable() {
    }

    static void print(PipelineReport report, PrintStream out) {
        out.println("| snapshots (iterations) | per run | service samples/s: read-ahead | without | memory samples/s"
                + " | service/memory: read-ahead | without | in steps: read-ahead | without"
                + " | µs per sample in steps: read-ahead | without | memory | same weights |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (PipelineRow r : report.rows()) {
            out.printf(Locale.ROOT, "| %s | %d × %.2f MB | %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f | %.1f | %s |%n", r.cadence(),
                    r.snapshotsPerRun(), r.snapshotBytes() / 1e6, rate(r.readAhead().samplesPerSecond()),
                    rate(r.direct().samplesPerSecond()), rate(r.memory()), ratio(r.readAhead().ratio()), ratio(r.direct().ratio()),
                    share(r.readAhead().stepShare()), share(r.direct().stepShare()), r.readAhead().stepMicros().median(),
                    r.direct().stepMicros().median(), 1e6 / r.memory().median(), r.sameWeights() ? "yes" : "NO");
        }
    }

    private static String rate(Spread s) {
        return String.format(Locale.ROOT, "%,.0f [%,.0f–%,.0f]", s.median(), s.min(), s.max());
    }

    private static String ratio(Spread s) {
        return String.format(Locale.ROOT, "%.2f [%.2f–%.2f]", s.median(), s.min(), s.max());
    }

    private static String share(Spread s) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * s.median());
    }
}
