package io.clpipe.app.reproduce;

import io.clpipe.app.demo.DemoStrategy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reproductions of De Lange et al. 2023 behind {@code clpipe reproduce}: runs, tables on the
 * console and as Markdown, figures, all into one output folder.
 */
final class Reproductions {

    private final PaperSetting setting;
    private final Path out;
    private final PrintWriter console;
    private final ReproductionFigures figures;

    Reproductions(PaperSetting setting, Path out, PrintWriter console) {
        this.setting = setting;
        this.out = out;
        this.console = console;
        this.figures = new ReproductionFigures(setting);
    }

    /** Finetune, replay and replay + re-warm; returns the runs in that order. */
    List<StrategyRun> stabilityGap() throws Exception {
        Files.createDirectories(out);
        console.println("reproduce stability-gap (De Lange et al. 2023): " + setting.describe());
        console.flush();
        StrategyRunner runner = new StrategyRunner(setting, console);
        List<StrategyRun> runs = new ArrayList<>();
        for (DemoStrategy strategy : PaperSetting.STRATEGIES) {
            runs.add(runner.run(strategy, out));
        }
        TextTable table = StabilityGapTable.of(runs);
        List<Path> pngs = figures.stabilityGap(runs, out);
        String epochs = epochsNote();
        Path md = write("stability-gap.md", "# reproduce stability-gap\n\n" + setting.describe() + ".\n\n"
                + "Final values after the last task; metrics from every run's records through the evaluator's trace engine "
                + "(window 10, recovery within 0.01 of the pre-boundary accuracy).\n\n" + table.markdown() + "\n"
                + runtimes(runs) + "\n" + figureList(pngs));
        console.println();
        console.println("Stability gap, " + epochs);
        console.print(table.text());
        console.println(runtimes(runs).strip());
        console.println("figures: " + String.join(", ", pngs.stream().map(p -> p.toAbsolutePath().toString()).toList()));
        console.println("table: " + md.toAbsolutePath());
        console.flush();
        return runs;
    }

    /** A replay run of its own, for {@code reproduce eval-frequency} alone. */
    StrategyRun replayRun() throws Exception {
        Files.createDirectories(out);
        console.println("reproduce eval-frequency (De Lange et al. 2023): replay, " + setting.describe());
        console.flush();
        return new StrategyRunner(setting, console).run(DemoStrategy.REPLAY, out);
    }

    /** min-ACC and WC-ACC of {@code run} at ρ = 1, 10, 100, 1000. */
    void evalFrequency(StrategyRun run) throws IOException {
        TextTable table = EvalFrequency.table(EvalFrequency.rows(run.metricsLines()));
        Path png = figures.evalFrequency(run, out);
        String what = String.format(Locale.ROOT, "The %s run (%d iterations, %s).", run.strategy().cliName(), run.iterations(), epochsNote());
        Path md = write("eval-frequency.md", "# reproduce eval-frequency\n\n" + setting.describe() + ".\n\n" + what + " "
                + EvalFrequency.METHOD + "\n\n" + table.markdown() + "\n" + figureList(List.of(png)));
        console.println();
        console.println("Evaluation periodicity: " + what);
        console.println(EvalFrequency.METHOD);
        console.print(table.text());
        console.println("figure: " + png.toAbsolutePath());
        console.println("table: " + md.toAbsolutePath());
        console.flush();
    }

    private String epochsNote() {
        return String.format(Locale.ROOT, "%d epoch%s per task (the paper: %d)", setting.epochsPerTask(),
                setting.epochsPerTask() == 1 ? "" : "s", PaperSetting.PAPER_EPOCHS);
    }

    private static String runtimes(List<StrategyRun> runs) {
        StringBuilder s = new StringBuilder("Wall time:");
        for (StrategyRun r : runs) {
            s.append(String.format(Locale.ROOT, " %s %.0f s;", r.strategy().cliName(), r.seconds()));
        }
        s.setLength(s.length() - 1);
        return s.append(".\n").toString();
    }

    private static String figureList(List<Path> pngs) {
        StringBuilder s = new StringBuilder();
        pngs.forEach(p -> s.append("![").append(p.getFileName()).append("](").append(p.getFileName()).append(")\n"));
        return s.toString();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(out.resolve(name), text, StandardCharsets.UTF_8);
    }
}
