package io.clpipe.app.reproduce;

import io.clpipe.datasets.DataDirectory;
import io.clpipe.datasets.TextCorpus;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code reproduce rewarm}: continual pre-training of a byte LM from English to German man pages,
 * arm by arm through the pipeline, then the table (console and rewarm.md) and the figures.
 */
final class RewarmReproduction {

    private final RewarmSetting setting;
    private final Path out;
    private final PrintWriter console;

    RewarmReproduction(RewarmSetting setting, Path out, PrintWriter console) {
        this.setting = setting;
        this.out = out;
        this.console = console;
    }

    static RewarmData data(RewarmSetting setting, DataDirectory dir) {
        return new RewarmData(RewarmSetting.STREAM, TextCorpus.load(dir, TextCorpus.MANPAGES_EN, RewarmData.EN),
                TextCorpus.load(dir, TextCorpus.MANPAGES_DE, RewarmData.DE), setting.seed());
    }

    List<RewarmRun> run(List<RewarmArm> arms, DataDirectory dir) throws Exception {
        Files.createDirectories(out);
        console.println("reproduce rewarm (Gupta et al. 2023, Ibrahim et al. 2024, Abbes et al. 2025): " + setting.describe());
        console.flush();
        long start = System.nanoTime();
        RewarmRunner runner = new RewarmRunner(setting, data(setting, dir), console);
        List<RewarmRun> runs = new ArrayList<>();
        for (RewarmArm arm : arms) {
            runs.add(runner.run(arm, out));
        }
        TextTable table = RewarmTable.of(runs);
        RewarmFigures figures = new RewarmFigures(setting);
        List<Path> pngs = new ArrayList<>();
        pngs.add(figures.losses(runs, out));
        if (runs.stream().anyMatch(r -> r.arm() != RewarmArm.UNION)) {
            pngs.add(figures.switchZoom(runs, out));
        }
        StringBuilder time = new StringBuilder("Wall time:");
        runs.forEach(r -> time.append(String.format(Locale.ROOT, " %s %.0f s;", r.arm().label(), r.seconds())));
        time.setLength(time.length() - 1);
        time.append(String.format(Locale.ROOT, "; total %.0f s.", (System.nanoTime() - start) / 1e9));
        StringBuilder md = new StringBuilder("# reproduce rewarm\n\n").append(setting.describe()).append(".\n\n")
                .append(RewarmTable.COLUMNS).append("\n\n").append(table.markdown()).append('\n').append(time).append("\n\n");
        pngs.forEach(p -> md.append("![").append(p.getFileName()).append("](").append(p.getFileName()).append(")\n"));
        Path file = Files.writeString(out.resolve("rewarm.md"), md.toString(), StandardCharsets.UTF_8);
        console.println();
        console.println("Final validation loss, EN → DE (nats per byte; lower is better)");
        console.print(table.text());
        console.println(time);
        console.println("figures: " + String.join(", ", pngs.stream().map(p -> p.toAbsolutePath().toString()).toList()));
        console.println("table: " + file.toAbsolutePath());
        console.flush();
        return runs;
    }
}
