package io.clpipe.app.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * Writes the report of one run into a folder: metrics.jsonl, trace.csv, summary.json, the PNG figures
 * and report.html; returns their paths and the terminal summary.
 */
public final class RunReport {

    public static final int WIDTH = 1000;
    public static final int HEIGHT = 500;
    /** The learning-rate/loss figure stacks two plots, so it is taller. */
    public static final int SCHEDULE_HEIGHT = 600;

    private RunReport() {
    }

    /**
     * @throws IllegalArgumentException if the metrics lines are empty, unparsable, of several streams,
     *                                  or do not form a valid trace
     */
    public static ReportFiles write(Path outDir, ReportInput input) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts render without a display
        }
        MetricsHistory history = MetricsHistory.parse(input.metricsLines());
        String trace = TraceCsv.of(history);
        RunSummary summary = RunSummary.of(trace, history);
        List<Headline> headlines = Headline.of(summary);
        Files.createDirectories(outDir);

        Path metricsJsonl = writeString(outDir.resolve("metrics.jsonl"),
                input.metricsLines().isEmpty() ? "" : String.join("\n", input.metricsLines()) + "\n");
        Path traceCsv = writeString(outDir.resolve("trace.csv"), trace);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path summaryJson = writeString(outDir.resolve("summary.json"),
                mapper.writeValueAsString(summary.json(mapper, input.settings())) + "\n");

        ReportCharts charts = new ReportCharts(input.settings());
        Map<String, byte[]> figures = new LinkedHashMap<>();
        List<Path> plots = new ArrayList<>();
        plots.add(png(outDir.resolve("accuracy.png"), charts.perTaskScores(history), HEIGHT, figures,
                "Per-task score against iteration; dashed lines mark task boundaries. Old tasks dropping right after a "
                        + "boundary and recovering is the stability gap."));
        var zoom = charts.boundaryZoom(history);
        if (zoom.isPresent()) {
            plots.add(png(outDir.resolve("boundaries.png"), zoom.get(), HEIGHT, figures,
                    "The same scores around each task boundary (dashed), where the stability gap is: how deep old tasks "
                            + "fall and how many iterations they need to recover."));
        }
        plots.add(png(outDir.resolve("acc-minacc-wcacc.png"), charts.aggregates(history), HEIGHT, figures,
                "ACC, min-ACC and WC-ACC as published by the evaluator at each evaluated iteration."));
        var schedule = charts.schedule(input.learningRate(), input.trainingLoss());
        if (schedule.isPresent()) {
            plots.add(png(outDir.resolve("learning-rate.png"), schedule.get(), SCHEDULE_HEIGHT, figures,
                    "Learning rate (and training loss of the last step) at each snapshot."));
        }

        Path reportHtml = writeString(outDir.resolve("report.html"),
                HtmlReport.render(input.settings(), history, summary, headlines, figures));
        String console = ConsoleTable.render(input.settings(), summary, headlines, reportHtml);
        return new ReportFiles(outDir, metricsJsonl, traceCsv, summaryJson, reportHtml, plots, console);
    }

    private static Path png(Path file, JFreeChart chart, int height, Map<String, byte[]> figures, String caption)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 * 1024);
        ChartUtils.writeChartAsPNG(bytes, chart, WIDTH, height);
        figures.put(caption, bytes.toByteArray());
        return write(file, bytes.toByteArray());
    }

    private static Path writeString(Path file, String text) throws IOException {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Through a temporary file and a rename, so a reader never sees half a file. */
    private static Path write(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
