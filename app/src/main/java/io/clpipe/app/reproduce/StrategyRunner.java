package io.clpipe.app.reproduce;

import io.clpipe.app.demo.DemoResult;
import io.clpipe.app.demo.DemoRun;
import io.clpipe.app.demo.DemoStrategy;
import io.clpipe.app.report.ReportInput;
import io.clpipe.app.report.RunMetrics;
import io.clpipe.app.report.RunReport;
import io.clpipe.app.report.RunSettings;
import io.clpipe.ingest.scenario.Scenario;
import io.clpipe.ingest.scenario.Scenarios;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one strategy of the paper setting through the whole pipeline (embedded broker, ingest,
 * learner, evaluator: {@link DemoRun}) and writes its run report into {@code <out>/<strategy>/}.
 */
final class StrategyRunner {

    private static final long PROGRESS_SECONDS = 15;

    private final PaperSetting setting;
    private final PrintWriter console;

    StrategyRunner(PaperSetting setting, PrintWriter console) {
        this.setting = setting;
        this.console = console;
    }

    StrategyRun run(DemoStrategy strategy, Path out) throws Exception {
        Path dir = out.resolve(strategy.cliName());
        Scenario scenario = Scenarios.fromCache().create(PaperSetting.SCENARIO, setting.scenarioConfig());
        console.printf(Locale.ROOT, "%s: %d training samples, batch %d, evaluation every iteration...%n", strategy.cliName(),
                scenario.plan().totalTrainSamples(), PaperSetting.batchSize(strategy));
        console.flush();
        Instant started = Instant.now();
        // a registry per run: the run's progress is read from its meters, which must start at zero
        DemoResult result = new DemoRun(setting.demoSettings(strategy, dir), scenario, new SimpleMeterRegistry())
                .run(new ProgressLines(console, strategy.cliName(), PROGRESS_SECONDS)::update);
        List<String> lines = result.metricLines().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("setting", "De Lange et al. 2023: " + setting.describe());
        extra.put("batch", PaperSetting.batchSize(strategy) + (strategy == DemoStrategy.FINETUNE ? " new" : " (256 new + 256 replayed)"));
        extra.put("iterations", Long.toString(result.iterations()));
        extra.put("evaluations_published", Integer.toString(lines.size()));
        RunSettings runSettings = new RunSettings(PaperSetting.SCENARIO, strategy.cliName(), setting.seed(), setting.epochsPerTask(),
                started, Duration.ofMillis(Math.round(result.seconds() * 1000)), extra);
        RunReport.write(dir, new ReportInput(lines, result.learningRate(), result.trainingLoss(), runSettings));
        console.printf(Locale.ROOT, "%s: done in %.0f s, %d iterations, %d evaluations; report %s%n", strategy.cliName(),
                result.seconds(), result.iterations(), lines.size(), dir.resolve("report.html"));
        console.flush();
        return new StrategyRun(strategy, lines, RunMetrics.of(lines), result.iterations(), result.seconds(), dir);
    }
}
