package io.clpipe.app;

import io.clpipe.app.demo.DemoResult;
import io.clpipe.app.demo.DemoRun;
import io.clpipe.app.demo.DemoSettings;
import io.clpipe.app.demo.DemoStrategy;
import io.clpipe.ingest.scenario.Scenario;
import io.clpipe.ingest.scenario.ScenarioConfig;
import io.clpipe.ingest.scenario.Scenarios;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clpipe demo}: the whole pipeline on an embedded broker, ending in a report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts an embedded Kafka broker, ingest, learner and evaluator in this JVM, streams a continual-learning",
            "scenario through them, and writes a report (metrics.jsonl, summary.json, report.html, PNG plots)."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    MetricsOptions metricsOptions;

    @Option(names = "--scenario", defaultValue = "split-mnist",
            description = "split-mnist, permuted-mnist, rotated-mnist or mnist-fashion (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--strategy", defaultValue = "replay-rewarm",
            description = "finetune, replay, replay-rewarm or replay-mer (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--out", description = "Report directory (default: ./clpipe-out/<timestamp>).")
    Path out;

    @Option(names = "--epochs-per-task", defaultValue = "1", description = "Passes over each task's training images (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--train-per-task", defaultValue = "0", description = "Cap on training images per task (0 = all).")
    int trainPerTask;

    @Option(names = "--eval-per-task", defaultValue = "1000", description = "Eval samples per task (default: ${DEFAULT-VALUE}).")
    int evalPerTask;

    @Option(names = "--batch-size", defaultValue = "128", description = "Samples per step, new plus replayed (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.01", description = "Peak learning rate, SGD momentum 0.9 (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--eval-every", defaultValue = "5", description = "Evaluate every ρ iterations (default: ${DEFAULT-VALUE})...")
    int evalPeriod;

    @Option(names = "--dense-window", defaultValue = "60", description = "...and every iteration for W iterations after a boundary (default: ${DEFAULT-VALUE}).")
    int denseWindow;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for data order, initialisation and replay (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--verbose", description = "Show the services' INFO logs (default: warnings only, so the progress line stays readable).")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (!verbose) {
            quietServiceLogs();
        }
        PrintWriter console = spec.commandLine().getOut();
        Path outDir = out != null ? out
                : Path.of("clpipe-out", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        Files.createDirectories(outDir);
        DemoSettings settings = new DemoSettings(scenario, DemoStrategy.parse(strategy), epochs, trainPerTask, evalPerTask,
                batchSize, lr, evalPeriod, denseWindow, seed, outDir, metricsOptions.port);
        Scenario run = Scenarios.fromCache().create(scenario, ScenarioConfig.defaults().withEpochs(epochs)
                .withTrainPerTask(trainPerTask).withEvalPerTask(evalPerTask).withSeed(seed));
        console.printf(Locale.ROOT, "clpipe demo: %s, strategy %s, %d tasks %s, %d training + %d eval samples, batch %d, eval every %d (every 1 for %d after a boundary)%n",
                scenario, settings.strategy().cliName(), run.plan().tasks().size(), run.plan().taskNames(),
                run.plan().totalTrainSamples(), run.plan().totalEvalSamples(), batchSize, evalPeriod, denseWindow);
        console.flush();
        ProgressBar bar = new ProgressBar(console, "demo");
        java.time.Instant started = java.time.Instant.now();
        DemoResult result;
        DemoRun demo;
        try (MetricsEndpoint metrics = metricsOptions.start("demo")) {
            demo = new DemoRun(settings, run, metrics.registry());
            result = demo.run(p -> bar.update(p.trained(), p.total(), p.status()));
        }
        bar.finish(String.format(Locale.ROOT, "Done in %.0f s: %d samples trained in %d iterations, %d evaluations published.",
                result.seconds(), result.trainSamples(), result.iterations(), result.metrics().size()));
        DemoReport.write(outDir, settings, run.plan(), result, started, console);
        demo.servingSummary(8).forEach(console::println);
        console.flush();
        return 0;
    }

    private static void quietServiceLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger("io.clpipe").setLevel(ch.qos.logback.classic.Level.WARN);
            context.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.ERROR);
            // The in-process broker's own log (kafka.*) is not the user's concern in a demo.
            context.getLogger("kafka").setLevel(ch.qos.logback.classic.Level.OFF);
        }
    }
}
