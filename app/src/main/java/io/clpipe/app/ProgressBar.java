package io.clpipe.app;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place with {@code \r} on a terminal, or printed as a plain
 * line every few seconds when output is redirected (so logs stay readable).
 */
final class ProgressBar {

    private static final int WIDTH = 30;
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintWriter out;
    private final String label;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastDraw;
    private int lastLength;

    ProgressBar(PrintWriter out, String label) {
        this(out, label, System.console() != null);
    }

    ProgressBar(PrintWriter out, String label, boolean terminal) {
        this.out = out;
        this.label = label;
        this.terminal = terminal;
    }

    /** Redraws with {@code done} of {@code total} (total ≤ 0: unknown) and an extra status text. */
    synchronized void update(long done, long total, String status) {
        long now = System.nanoTime();
        if (!terminal && now - lastDraw < PLAIN_INTERVAL_NANOS && (total <= 0 || done < total)) {
            return;
        }
        lastDraw = now;
        String line = render(done, total, status, now - startNanos);
        if (terminal) {
            out.print('\r' + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    synchronized void finish(String summary) {
        if (terminal) {
            out.print('\r' + " ".repeat(lastLength) + '\r');
        }
        out.println(summary);
        out.flush();
    }

    String render(long done, long total, String status, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder s = new StringBuilder(label).append(' ');
        if (total > 0) {
            double fraction = Math.min(1.0, (double) done / total);
            int filled = (int) Math.round(fraction * WIDTH);
            s.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3.0f%% %d/%d", fraction * 100, done, total));
        } else {
            s.append(done);
        }
        s.append(String.format(Locale.ROOT, " %.0f/s %.0fs", rate, seconds));
        if (status != null && !status.isEmpty()) {
            s.append("  ").append(status);
        }
        return s.toString();
    }
}
