package io.clpipe.app.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.app.demo.DemoStrategy;
import io.clpipe.app.report.RunMetrics;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproductionFiguresTest {

    @TempDir
    Path out;

    private static StrategyRun run(DemoStrategy strategy, double dip) {
        List<String> lines = MetricLines.twoTasksWithDip(40, 45, dip);
        return new StrategyRun(strategy, lines, RunMetrics.of(lines), 80, 1.0, Path.of(strategy.cliName()));
    }

    @Test
    void stabilityGapFiguresHaveOnePanelOrZoomPerRun() throws Exception {
        ReproductionFigures figures = new ReproductionFigures(new PaperSetting(2, 0, 1000, 1));
        List<Path> files = figures.stabilityGap(List.of(run(DemoStrategy.FINETUNE, 0.0), run(DemoStrategy.REPLAY, 0.4)), out);
        assertThat(files).containsExactly(out.resolve("stability-gap.png"), out.resolve("stability-gap-boundaries.png"));
        BufferedImage panels = ImageIO.read(files.get(0).toFile());
        assertThat(panels.getWidth()).isEqualTo(ReproductionFigures.WIDTH);
        assertThat(panels.getHeight()).isEqualTo(120 + 2 * ReproductionFigures.PANEL_HEIGHT);
        assertThat(ImageIO.read(files.get(1).toFile()).getHeight()).isEqualTo(2 * ReproductionFigures.ZOOM_HEIGHT);
        assertThat(out.resolve("stability-gap.png.tmp")).doesNotExist();
    }

    @Test
    void evalFrequencyFigureIsDrawn() throws Exception {
        Path png = new ReproductionFigures(new PaperSetting(2, 0, 1000, 1)).evalFrequency(run(DemoStrategy.REPLAY, 0.4), out);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(ReproductionFigures.WIDTH);
        assertThat(image.getHeight()).isEqualTo(ReproductionFigures.HEIGHT);
    }
}
