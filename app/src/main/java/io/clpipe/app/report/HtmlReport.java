package io.clpipe.app.report;

import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import io.clpipe.evaluator.engine.StabilityGap;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.html: one self-contained page (inline CSS, figures as data URIs, nothing fetched) with the
 * settings, the headline metrics, the figures, the accuracy matrix and the stability gaps.
 */
final class HtmlReport {

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1060px;color:#222;padding:0 1rem}
            h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
            .sub{color:#666;margin-top:0}table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem}
            th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}th{background:#f5f5f5}
            td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;font-family:ui-monospace,monospace}
            td.diag{background:#eef5ff}td.muted{color:#888}figure{margin:1rem 0}img{max-width:100%;border:1px solid #eee}
            figcaption{color:#555;font-size:.9rem}.note{color:#555;font-size:.9rem}
            """;

    private HtmlReport() {
    }

    /** @param figures caption → PNG bytes, in display order */
    static String render(RunSettings settings, MetricsHistory history, RunSummary summary, List<Headline> headlines,
                         Map<String, byte[]> figures) {
        MetricsSnapshot s = summary.snapshot();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>clpipe run: ").append(esc(settings.scenario())).append(", ").append(esc(settings.strategy()))
                .append("</title><style>").append(CSS).append("</style></head><body>\n");
        h.append("<h1>clpipe run: ").append(esc(settings.scenario())).append(", ").append(esc(settings.strategy())).append("</h1>\n");
        h.append("<p class=\"sub\">stream ").append(esc(history.stream())).append(", ").append(s.learnedTasks())
                .append(" tasks learned, ").append(history.records().size()).append(" evaluations up to iteration ")
                .append(s.iteration()).append("</p>\n");

        h.append("<h2 id=\"settings\">Settings</h2>\n<table>");
        settings.asMap().forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>"));
        h.append("</table>\n");

        h.append("<h2 id=\"metrics\">Headline metrics</h2>\n");
        if (s.direction() == Direction.LOSS) {
            h.append("<p class=\"note\">Scores are validation losses: levels are better when lower, and forgetting is a loss rise.</p>");
        }
        h.append("<table><tr><th>metric</th><th>value</th><th>better</th><th>meaning</th></tr>");
        for (Headline m : headlines) {
            h.append("<tr><td>").append(esc(m.label())).append("</td><td class=\"num\">").append(esc(m.formatted()))
                    .append("</td><td>").append(m.better()).append("</td><td>").append(esc(m.meaning())).append("</td></tr>");
        }
        h.append("</table>\n<p class=\"note\">Definitions: docs/metrics.md. Final values, computed from the trace of all ")
                .append("evaluations (trace.csv; <code>clpipe metrics --trace trace.csv</code> gives the same).</p>\n");

        h.append("<h2 id=\"figures\">Figures</h2>\n");
        figures.forEach((caption, png) -> h.append("<figure><img alt=\"").append(esc(caption)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(esc(caption))
                .append("</figcaption></figure>\n"));

        h.append("<h2 id=\"matrix\">Accuracy matrix</h2>\n<p class=\"note\">Row k, column j: score on task j at the end of learning task k")
                .append(" (the last row is the latest evaluation).</p>\n");
        matrix(h, s);

        h.append("<h2 id=\"gaps\">Stability gaps</h2>\n<p class=\"note\">At each boundary, for each old task: its score just before, its worst")
                .append(" score after (until the next boundary), the depth (drop) and the iterations until it was back within 0.01.</p>\n");
        gaps(h, s.gaps());
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void matrix(StringBuilder h, MetricsSnapshot s) {
        List<String> tasks = s.tasks();
        h.append("<table><tr><th>after \\ on</th>");
        tasks.forEach(t -> h.append("<th>").append(esc(t)).append("</th>"));
        h.append("</tr>");
        for (int k = 0; k < s.learnedTasks(); k++) {
            h.append("<tr><th>").append(esc(tasks.get(k))).append("</th>");
            List<Double> row = s.accuracyMatrix().get(k);
            for (int j = 0; j < row.size(); j++) {
                h.append("<td class=\"num").append(j == k ? " diag" : "").append("\">").append(number(row.get(j))).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>\n");
    }

    private static void gaps(StringBuilder h, List<StabilityGap> gaps) {
        if (gaps.isEmpty()) {
            h.append("<p>No boundary yet: a single task has no stability gap.</p>\n");
            return;
        }
        h.append("<table><tr><th>boundary</th><th>old task</th><th>before</th><th>worst</th><th>at iteration</th>")
                .append("<th>depth</th><th>recovery</th></tr>");
        for (StabilityGap g : gaps) {
            String recovery = g.recoveryIterations() != null ? g.recoveryIterations() + " it"
                    : g.depth() == null ? "not scored" : g.open() ? "not yet" : "not recovered";
            h.append("<tr><td class=\"num\">").append(g.boundaryIteration()).append("</td><td>").append(esc(g.task()))
                    .append("</td><td class=\"num\">").append(number(g.before()))
                    .append("</td><td class=\"num\">").append(number(g.worst()))
                    .append("</td><td class=\"num\">").append(g.worstIteration() == null ? "" : g.worstIteration())
                    .append("</td><td class=\"num\">").append(number(g.depth()))
                    .append("</td><td").append(g.recoveryIterations() == null ? " class=\"muted\"" : " class=\"num\"").append(">")
                    .append(recovery).append("</td></tr>");
        }
        h.append("</table>\n");
    }

    private static String number(Double v) {
        return v == null ? "<span class=\"muted\">—</span>" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
