package io.clpipe.app.report;

import io.clpipe.evaluator.engine.Direction;
import io.clpipe.schemas.MetricKeys;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's figures as JFreeChart charts (rendering to PNG is the caller's). */
final class ReportCharts {

    /** Matplotlib's tab10: distinguishable lines for up to ten tasks, then it repeats. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
    private static final Color GRID = new Color(0xdddddd);
    static final int ZOOM_PANELS = 6;
    private static final Font MARKER_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private final String subtitle;

    ReportCharts(RunSettings settings) {
        this(settings.scenario() + ", " + settings.strategy() + ", seed " + settings.seed());
    }

    ReportCharts(String subtitle) {
        this.subtitle = subtitle;
    }

    /** (a) A(i, n) of every task against n, task boundaries as dashed vertical lines. */
    JFreeChart perTaskScores(MetricsHistory history) {
        boolean accuracy = history.direction() == Direction.ACCURACY;
        Map<String, SortedMap<Long, Double>> series = new LinkedHashMap<>();
        history.scores().forEach((task, scores) -> series.put("task " + task, scores));
        // The learner's test-then-train score of new samples (docs/metrics.md), beside the held-out curves.
        SortedMap<Long, Double> prequential = history.aggregate(accuracy ? MetricKeys.PREQUENTIAL_ACC : MetricKeys.PREQUENTIAL_LOSS);
        if (!prequential.isEmpty()) {
            series.put("prequential (new samples, before their step)", prequential);
        }
        String what = accuracy ? "Accuracy" : "Validation loss";
        XYPlot plot = linePlot(series, what + " on each task's eval set", accuracy);
        for (Boundary b : history.boundaries()) {
            plot.addDomainMarker(boundaryMarker(b, true));
        }
        return chart(what + " per task (dashed: task boundaries)", plot);
    }

    static ValueMarker boundaryMarker(Boundary b, boolean labelled) {
        ValueMarker marker = new ValueMarker(b.iteration(), Color.GRAY,
                new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        if (labelled) {
            marker.setLabel(b.task());
            marker.setLabelFont(MARKER_FONT);
            marker.setLabelPaint(Color.DARK_GRAY);
            marker.setLabelBackgroundColor(new Color(255, 255, 255, 210));
            marker.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
        }
        return marker;
    }

    /**
     * (a') The same scores zoomed on the iterations around each boundary (at most {@link #ZOOM_PANELS}),
     * where the stability gap lives: it spans few iterations and is a thin spike on the whole-run axis.
     * Empty before the first boundary.
     */
    Optional<JFreeChart> boundaryZoom(MetricsHistory history) {
        List<Boundary> boundaries = history.boundaries();
        if (boundaries.isEmpty()) {
            return Optional.empty();
        }
        boolean accuracy = history.direction() == Direction.ACCURACY;
        long spacing = typicalTaskLength(history, boundaries);
        long before = Math.max(2, spacing / 10);
        long after = Math.max(10, spacing * 2 / 5);
        NumberAxis y = new NumberAxis(accuracy ? "Accuracy" : "Validation loss");
        if (accuracy) {
            y.setRange(0.0, 1.0);
        } else {
            y.setAutoRangeIncludesZero(false);
        }
        CombinedRangeXYPlot combined = new CombinedRangeXYPlot(y);
        combined.setGap(8);
        Map<String, SortedMap<Long, Double>> scores = history.scores();
        for (Boundary b : boundaries.subList(0, Math.min(ZOOM_PANELS, boundaries.size()))) {
            Map<String, SortedMap<Long, Double>> window = new LinkedHashMap<>();
            // every task in every panel (possibly empty) so that a task keeps its colour across panels
            scores.forEach((task, points) -> window.put("task " + task, points.subMap(b.iteration() - before, b.iteration() + after + 1)));
            XYPlot panel = linePlot(window, "", accuracy);
            NumberAxis x = (NumberAxis) panel.getDomainAxis();
            x.setLabel("→ " + b.task() + " at " + b.iteration());
            x.setAutoRangeIncludesZero(false);
            x.setRange(b.iteration() - before, b.iteration() + after);
            panel.addDomainMarker(boundaryMarker(b, false));
            combined.add(panel, 1);
        }
        combined.setFixedLegendItems(((XYPlot) combined.getSubplots().get(0)).getLegendItems());
        String shown = boundaries.size() > ZOOM_PANELS ? " (first " + ZOOM_PANELS + " of " + boundaries.size() + ")" : "";
        return Optional.of(chart("Around each task boundary" + shown + ": old tasks drop, then recover", combined));
    }

    /** The most common distance between boundaries (the first task counts from iteration 0). */
    private static long typicalTaskLength(MetricsHistory history, List<Boundary> boundaries) {
        List<Long> lengths = new ArrayList<>();
        long previous = 0;
        for (Boundary b : boundaries) {
            lengths.add(b.iteration() - previous);
            previous = b.iteration();
        }
        lengths.add(history.lastIteration() - previous);
        Collections.sort(lengths);
        return lengths.get(lengths.size() / 2);
    }

    /** (b) ACC, min-ACC and WC-ACC as the evaluator published them at each iteration. */
    JFreeChart aggregates(MetricsHistory history) {
        boolean accuracy = history.direction() == Direction.ACCURACY;
        Map<String, SortedMap<Long, Double>> series = new LinkedHashMap<>();
        series.put("ACC", history.aggregate(MetricKeys.ACC));
        series.put("min-ACC", history.aggregate(MetricKeys.MIN_ACC));
        series.put("WC-ACC", history.aggregate(MetricKeys.WC_ACC));
        XYPlot plot = linePlot(series, accuracy ? "Accuracy" : "Validation loss", accuracy);
        for (Boundary b : history.boundaries()) {
            plot.addDomainMarker(new ValueMarker(b.iteration(), Color.LIGHT_GRAY, new BasicStroke(1f)));
        }
        return chart("ACC, min-ACC and WC-ACC over time", plot);
    }

    /** (c) Learning rate, with the training loss below it when given; empty if neither was collected. */
    Optional<JFreeChart> schedule(SortedMap<Long, Double> learningRate, SortedMap<Long, Double> trainingLoss) {
        if (learningRate.isEmpty() && trainingLoss.isEmpty()) {
            return Optional.empty();
        }
        NumberAxis iterations = iterationAxis();
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(iterations);
        combined.setGap(12);
        if (!learningRate.isEmpty()) {
            combined.add(linePlot(Map.of("learning rate", learningRate), "Learning rate", false), 1);
        }
        if (!trainingLoss.isEmpty()) {
            XYPlot loss = linePlot(Map.of("training loss (last step)", trainingLoss), "Training loss", false);
            loss.getRenderer().setSeriesPaint(0, PALETTE[3]);
            combined.add(loss, 1);
        }
        String title = learningRate.isEmpty() ? "Training loss over time"
                : trainingLoss.isEmpty() ? "Learning rate over time" : "Learning rate and training loss over time";
        return Optional.of(chart(title, combined));
    }

    static XYPlot linePlot(Map<String, SortedMap<Long, Double>> series, String yLabel, boolean unitInterval) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries s = new XYSeries(name, true, false);
            points.forEach((x, y) -> s.add(x.doubleValue(), y.doubleValue(), false));
            data.addSeries(s);
        });
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        }
        NumberAxis y = new NumberAxis(yLabel);
        if (unitInterval) {
            y.setRange(0.0, 1.0);
        } else {
            y.setAutoRangeIncludesZero(false);
        }
        XYPlot plot = new XYPlot(data, iterationAxis(), y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setOutlinePaint(Color.GRAY);
        return plot;
    }

    static NumberAxis iterationAxis() {
        NumberAxis x = new NumberAxis("Iteration");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(true);
        return x;
    }

    JFreeChart chart(String title, Plot plot) {
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle(subtitle));
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setFrame(BlockBorder.NONE);
        return chart;
    }
}
