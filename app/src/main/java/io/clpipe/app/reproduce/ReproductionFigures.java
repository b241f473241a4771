package io.clpipe.app.reproduce;

import io.clpipe.app.report.ComparisonCharts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reproductions' PNG figures, drawn with the run report's chart code. */
final class ReproductionFigures {

    static final int WIDTH = 1000;
    static final int PANEL_HEIGHT = 300;
    static final int ZOOM_HEIGHT = 450;
    static final int HEIGHT = 500;

    private final ComparisonCharts charts;

    ReproductionFigures(PaperSetting setting) {
        this.charts = new ComparisonCharts(String.format(java.util.Locale.ROOT, "Split-MNIST, MLP 784-400-400-10, %d epoch%s per task, seed %d",
                setting.epochsPerTask(), setting.epochsPerTask() == 1 ? "" : "s", setting.seed()));
    }

    /** stability-gap.png (per-task accuracy, one panel per strategy) and stability-gap-boundaries.png (around each boundary). */
    List<Path> stabilityGap(List<StrategyRun> runs, Path out) throws IOException {
        Map<String, List<String>> byStrategy = new LinkedHashMap<>();
        runs.forEach(r -> byStrategy.put(r.strategy().cliName(), r.metricsLines()));
        List<Path> files = new ArrayList<>();
        files.add(ComparisonCharts.writePng(out.resolve("stability-gap.png"),
                charts.perTaskByRun("Accuracy per task, evaluated every iteration (dashed: task boundaries)", byStrategy),
                WIDTH, 120 + PANEL_HEIGHT * runs.size()));
        files.add(ComparisonCharts.writePng(out.resolve("stability-gap-boundaries.png"),
                charts.boundaryZoomsStacked(byStrategy, WIDTH, ZOOM_HEIGHT)));
        return files;
    }

    /** eval-frequency.png: the first task's accuracy as each evaluation period sees it. */
    Path evalFrequency(StrategyRun run, Path out) throws IOException {
        Map<String, List<String>> byPeriod = new LinkedHashMap<>();
        for (int rho : EvalFrequency.PERIODS) {
            byPeriod.put("ρ = " + rho + (rho == 1 ? "" : " (+ task ends)"), EvalPeriodicity.subsample(run.metricsLines(), rho));
        }
        String firstTask = run.metrics().snapshot().tasks().get(0);
        return ComparisonCharts.writePng(out.resolve("eval-frequency.png"),
                charts.taskByCadence("Task " + firstTask + " in the " + run.strategy().cliName() + " run, as each evaluation period sees it",
                        firstTask, byPeriod), WIDTH, HEIGHT);
    }
}
