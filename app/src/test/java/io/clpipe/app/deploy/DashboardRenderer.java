package io.clpipe.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the Grafana dashboard where Grafana cannot run: every panel at its grid position, each
 * query answered by Prometheus' range API ({@code /api/v1/query_range}) over a live run, the
 * boundary annotation as vertical lines. Time series become JFreeChart line charts; stat panels a
 * box coloured by the panel's own thresholds with the last value.
 */
final class DashboardRenderer {

    /** One range-query series: its legend and (seconds since start, value) points. */
    record Series(String legend, List<double[]> points) {
    }

    interface RangeQuery {
        List<Series> query(String promql, String legendFormat) throws Exception;
    }

    private static final int COLUMN = 64;
    private static final int ROW = 30;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private DashboardRenderer() {
    }

    /** Renders the whole dashboard into one PNG; returns the number of panels drawn with data. */
    static int render(Dashboard dashboard, RangeQuery prometheus, List<Double> boundaries, String subtitle, Path png) throws Exception {
        System.setProperty("java.awt.headless", "true");
        int height = 0;
        for (JsonNode p : dashboard.json().path("panels")) {
            JsonNode g = p.path("gridPos");
            height = Math.max(height, (g.path("y").asInt() + g.path("h").asInt()) * ROW);
        }
        BufferedImage image = new BufferedImage(24 * COLUMN, height + 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g2 = image.createGraphics();
        g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g2.setColor(Color.WHITE);
        g2.fillRect(0, 0, image.getWidth(), image.getHeight());
        g2.setColor(Color.DARK_GRAY);
        g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g2.drawString(dashboard.json().path("title").asText() + " — " + subtitle, 8, 26);
        int withData = 0;
        for (JsonNode panel : dashboard.json().path("panels")) {
            JsonNode g = panel.path("gridPos");
            int x = g.path("x").asInt() * COLUMN;
            int y = 40 + g.path("y").asInt() * ROW;
            int w = g.path("w").asInt() * COLUMN;
            int h = g.path("h").asInt() * ROW;
            String type = panel.path("type").asText();
            if (type.equals("row")) {
                g2.setColor(new Color(0x33, 0x33, 0x33));
                g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
                g2.drawString(panel.path("title").asText(), x + 8, y + 20);
                continue;
            }
            List<Series> series = new ArrayList<>();
            for (JsonNode target : panel.path("targets")) {
                series.addAll(prometheus.query(dashboard.substitute(target.path("expr").asText(), "10s"),
                        target.path("legendFormat").asText()));
            }
            if (series.stream().anyMatch(s -> !s.points().isEmpty())) {
                withData++;
            }
            if (type.equals("stat")) {
                drawStat(g2, panel, series, x, y, w, h);
            } else {
                BufferedImage chart = chart(panel, series, boundaries).createBufferedImage(w - 4, h - 4);
                g2.drawImage(chart, x + 2, y + 2, null);
            }
        }
        g2.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
        return withData;
    }

    private static JFreeChart chart(JsonNode panel, List<Series> series, List<Double> boundaries) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.legend() + (data.getSeriesIndex(s.legend()) >= 0 ? " " + data.getSeriesCount() : ""));
            s.points().forEach(p -> xy.add(p[0], p[1]));
            data.addSeries(xy);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(null, "seconds since the run started", null, data);
        chart.setTitle(new TextTitle(panel.path("title").asText(), new Font(Font.SANS_SERIF, Font.BOLD, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(1.5f));
        }
        plot.setRenderer(renderer);
        for (double b : boundaries) {
            ValueMarker marker = new ValueMarker(b, Color.ORANGE, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    1f, new float[] {4f, 3f}, 0f));
            plot.addDomainMarker(marker);
        }
        return chart;
    }

    private static void drawStat(Graphics2D g2, JsonNode panel, List<Series> series, int x, int y, int w, int h) {
        double last = Double.NaN;
        String legend = "";
        for (Series s : series) {
            for (double[] p : s.points()) {
                if (!Double.isNaN(p[1])) {
                    last = p[1];
                    legend = s.legend();
                }
            }
        }
        Color color = new Color(0x999999);
        for (JsonNode step : panel.path("fieldConfig").path("defaults").path("thresholds").path("steps")) {
            if (!Double.isNaN(last) && (step.path("value").isNull() || last >= step.path("value").asDouble())) {
                color = switch (step.path("color").asText()) {
                    case "green" -> new Color(0x37872d);
                    case "orange" -> new Color(0xe0752d);
                    case "red" -> new Color(0xc4162a);
                    default -> new Color(0x999999);
                };
            }
        }
        g2.setColor(color);
        g2.fillRoundRect(x + 3, y + 3, w - 6, h - 6, 8, 8);
        g2.setColor(Color.WHITE);
        g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g2.drawString(panel.path("title").asText() + (legend.isEmpty() ? "" : "  (" + legend + ")"), x + 12, y + 22);
        g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 34));
        boolean fraction = panel.path("fieldConfig").path("defaults").path("unit").asText().equals("percentunit");
        String text = Double.isNaN(last) ? "no data" : fraction ? String.format(Locale.ROOT, "%.1f%%", 100 * last)
                : String.format(Locale.ROOT, "%.0f", last);
        g2.drawString(text, x + 12, y + h - 22);
    }
}
