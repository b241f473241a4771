package io.clpipe.app.reproduce;

import io.clpipe.app.demo.DemoProgress;
import java.io.PrintWriter;
import java.util.Locale;

/** Progress of a long run as a plain line every few seconds (a reproduction runs for minutes; logs stay readable). */
final class ProgressLines {

    private final PrintWriter out;
    private final String label;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long last = Long.MIN_VALUE;

    ProgressLines(PrintWriter out, String label, long intervalSeconds) {
        this.out = out;
        this.label = label;
        this.intervalNanos = intervalSeconds * 1_000_000_000L;
    }

    void update(DemoProgress p) {
        long now = System.nanoTime();
        if (last != Long.MIN_VALUE && now - last < intervalNanos) {
            return;
        }
        last = now;
        out.printf(Locale.ROOT, "  [%s %4.0f s] %d/%d samples  %s%n", label, (now - start) / 1e9, p.trained(), p.total(), p.status());
        out.flush();
    }
}
