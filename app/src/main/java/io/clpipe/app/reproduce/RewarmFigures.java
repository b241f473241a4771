package io.clpipe.app.reproduce;

import io.clpipe.app.report.ComparisonCharts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** rewarm.png: per-domain validation loss against iteration, one panel per arm, the EN → DE switch dashed. */
final class RewarmFigures {

    private final ComparisonCharts charts;

    RewarmFigures(RewarmSetting setting) {
        this.charts = new ComparisonCharts(String.format(java.util.Locale.ROOT, "Man pages EN → DE, byte LM ctx %d, %,d bytes per domain, seed %d",
                setting.context(), setting.phaseBytes(), setting.seed()));
    }

    /**
     * One panel per EN → DE arm. The union arm is left out: its EN/DE mix changes task at every
     * document, which would fill its panel with boundary markers (its final losses are in the table).
     */
    Path losses(List<RewarmRun> runs, Path out) throws IOException {
        Map<String, List<String>> byArm = new LinkedHashMap<>();
        runs.stream().filter(r -> r.arm() != RewarmArm.UNION).forEach(r -> byArm.put(r.arm().label(), r.metricsLines()));
        return ComparisonCharts.writePng(out.resolve("rewarm.png"),
                charts.perTaskByRun("Validation loss per domain (nats/byte, lower is better; dashed: EN → DE)", byArm),
                ReproductionFigures.WIDTH, 120 + 220 * byArm.size());
    }

    /** rewarm-switch.png: each EN → DE arm zoomed on the switch, where re-warming makes the loss spike. */
    Path switchZoom(List<RewarmRun> runs, Path out) throws IOException {
        Map<String, List<String>> byArm = new LinkedHashMap<>();
        runs.stream().filter(r -> r.arm() != RewarmArm.UNION).forEach(r -> byArm.put(r.arm().label(), r.metricsLines()));
        return ComparisonCharts.writePng(out.resolve("rewarm-switch.png"),
                charts.boundaryZoomsStacked(byArm, ReproductionFigures.WIDTH, ReproductionFigures.PANEL_HEIGHT));
    }
}
