package io.clpipe.app.report;

import io.clpipe.evaluator.engine.Direction;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;

/**
 * Figures that put several runs of one scenario side by side (the reproductions), drawn with the run
 * report's chart code so that tasks keep the same colours and boundaries the same dashes.
 */
public final class ComparisonCharts {

    private final String subtitle;

    /** @param subtitle shown under every figure's title (scenario, seed, …) */
    public ComparisonCharts(String subtitle) {
        headless();
        this.subtitle = subtitle;
    }

    /**
     * One panel per run, stacked on a shared iteration axis: each task's score against iteration, task
     * boundaries dashed (labelled in the top panel).
     *
     * @param metricsLinesByRun run label → that run's metric records (JSON lines), in panel order
     */
    public JFreeChart perTaskByRun(String title, Map<String, List<String>> metricsLinesByRun) {
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(ReportCharts.iterationAxis());
        combined.setGap(10);
        boolean first = true;
        for (Map.Entry<String, List<String>> run : metricsLinesByRun.entrySet()) {
            MetricsHistory history = MetricsHistory.parse(run.getValue());
            Map<String, SortedMap<Long, Double>> series = new LinkedHashMap<>();
            history.scores().forEach((task, scores) -> series.put("task " + task, scores));
            XYPlot panel = ReportCharts.linePlot(series, run.getKey(), history.direction() == Direction.ACCURACY);
            for (Boundary b : history.boundaries()) {
                panel.addDomainMarker(ReportCharts.boundaryMarker(b, first));
            }
            combined.add(panel, 1);
            first = false;
        }
        if (combined.getSubplots().isEmpty()) {
            throw new IllegalArgumentException("no runs to draw");
        }
        combined.setFixedLegendItems(((XYPlot) combined.getSubplots().get(0)).getLegendItems());
        return new ReportCharts(subtitle).chart(title, combined);
    }

    /**
     * Each run's boundary zoom (the run report's boundaries.png), stacked top to bottom in one image.
     *
     * @param metricsLinesByRun run label → that run's metric records, in drawing order
     */
    public BufferedImage boundaryZoomsStacked(Map<String, List<String>> metricsLinesByRun, int width, int heightPerRun) {
        List<JFreeChart> charts = new ArrayList<>();
        metricsLinesByRun.forEach((label, lines) -> new ReportCharts(label + ", " + subtitle)
                .boundaryZoom(MetricsHistory.parse(lines)).ifPresent(charts::add));
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("no run has a task boundary");
        }
        BufferedImage image = new BufferedImage(width, heightPerRun * charts.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                charts.get(i).draw(g, new Rectangle2D.Double(0, (double) i * heightPerRun, width, heightPerRun));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /**
     * One task's score against iteration as seen by several evaluation cadences of the same run: the
     * first series as a line, the others as lines with a marker at each evaluated iteration.
     *
     * @param metricsLinesByLabel label (e.g. "ρ = 100") → the metric records that cadence kept
     */
    public JFreeChart taskByCadence(String title, String task, Map<String, List<String>> metricsLinesByLabel) {
        Map<String, SortedMap<Long, Double>> series = new LinkedHashMap<>();
        MetricsHistory reference = null;
        for (Map.Entry<String, List<String>> e : metricsLinesByLabel.entrySet()) {
            MetricsHistory history = MetricsHistory.parse(e.getValue());
            SortedMap<Long, Double> scores = history.scores().get(task);
            if (scores == null) {
                throw new IllegalArgumentException("task '" + task + "' is not scored in " + e.getKey());
            }
            series.put(e.getKey(), scores);
            reference = reference == null ? history : reference;
        }
        if (reference == null) {
            throw new IllegalArgumentException("no series to draw");
        }
        XYPlot plot = ReportCharts.linePlot(series, "Accuracy on task " + task, reference.direction() == Direction.ACCURACY);
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        for (int i = 1; i < series.size(); i++) {
            renderer.setSeriesShapesVisible(i, true);
        }
        for (Boundary b : reference.boundaries()) {
            plot.addDomainMarker(ReportCharts.boundaryMarker(b, true));
        }
        return new ReportCharts(subtitle).chart(title, plot);
    }

    /** Renders to PNG through a temporary file and a rename. */
    public static Path writePng(Path file, JFreeChart chart, int width, int height) throws IOException {
        return writePng(file, chart.createBufferedImage(width, height));
    }

    /** Writes the image as PNG through a temporary file and a rename. */
    public static Path writePng(Path file, BufferedImage image) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        if (!ImageIO.write(image, "png", tmp.toFile())) {
            throw new IOException("no PNG writer");
        }
        return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Charts render without a display (must happen before AWT starts). */
    private static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
