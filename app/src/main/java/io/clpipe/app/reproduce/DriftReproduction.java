package io.clpipe.app.reproduce;

import io.clpipe.app.demo.DemoResult;
import io.clpipe.app.demo.DemoRun;
import io.clpipe.app.demo.DemoStrategy;
import io.clpipe.app.demo.PipelineJob;
import io.clpipe.app.report.RunMetrics;
import io.clpipe.evaluator.engine.StabilityGap;
import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.scenario.Scenario;
import io.clpipe.ingest.scenario.ScenarioConfig;
import io.clpipe.ingest.scenario.ScenarioPlan;
import io.clpipe.ingest.scenario.Scenarios;
import io.clpipe.ingest.source.MappedSource;
import io.clpipe.schemas.ValidationConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * {@code clpipe reproduce drift}: a labelled Permuted- or Rotated-MNIST stream sent without its task
 * field; ingest's detectors must find the switches. Prints, per true switch, the detection delay in
 * samples (train and eval, in stream order) and the signal that fired, the false alarms, and, from a
 * run of the whole pipeline on the same stream, the learner's re-warms and the evaluator's stability
 * gaps of the detected segments (docs/reproductions.md).
 */
final class DriftReproduction {

    private static final String STREAM = "drift";

    private final DriftSetting setting;
    private final Path out;
    private final PrintWriter console;
    /** The pipeline run's meters (the learner's boundary counter is read from it). */
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** How much of the report the console has shown. */
    private int printed;

    DriftReproduction(DriftSetting setting, Path out, PrintWriter console) {
        this.setting = setting;
        this.out = out;
        this.console = console;
    }

    void run() throws Exception {
        Files.createDirectories(out);
        StringWriter text = new StringWriter();
        PrintWriter report = new PrintWriter(text);
        Scenarios scenarios = Scenarios.fromCache();
        ScenarioConfig config = new ScenarioConfig(STREAM, setting.tasks(), setting.evalPerTask(), 1, setting.trainPerTask(), setting.seed());
        ScenarioPlan plan = scenarios.create(setting.scenario(), config).plan();
        RoutingConfig routing = RoutingConfig.defaults().withEvalPerMille(0).withDriftDetection(true).withValidation(
                ValidationConfig.defaults().withFeatureDim(STREAM, plan.featureDim()).withNumClasses(plan.numClasses()));
        report.printf(Locale.ROOT, "reproduce drift: %s%n", setting.describe());
        report.printf(Locale.ROOT, "detectors: %s%n", routing.drift().describe());
        DriftScore score = DriftScan.run(scenarios.create(setting.scenario(), config).samples(), routing, STREAM);
        printScore(report, score);
        flushTo(report, text);
        if (setting.pipeline()) {
            Scenario scenario = scenarios.create(setting.scenario(), config);
            DemoResult result = new DemoRun(job(scenario, routing), registry).run(p -> { });
            printPipeline(report, result);
            flushTo(report, text);
        }
        Files.writeString(out.resolve("drift.txt"), text.toString(), StandardCharsets.UTF_8);
        console.printf(Locale.ROOT, "written to %s%n", out.resolve("drift.txt"));
        console.flush();
    }

    private void flushTo(PrintWriter report, StringWriter text) {
        report.flush();
        console.print(text.getBuffer().substring(printed));
        console.flush();
        printed = text.getBuffer().length();
    }

    static void printScore(PrintWriter report, DriftScore score) {
        report.printf(Locale.ROOT, "%-10s %10s %12s %7s  %s%n", "switch to", "at sample", "detected at", "delay", "signal");
        for (DriftScore.Switch s : score.switches()) {
            report.printf(Locale.ROOT, "%-10s %10d %12s %7s  %s%n", s.task(), s.at(),
                    s.detected() == null ? "missed" : Long.toString(s.detected().position()),
                    s.delay() == null ? "-" : Long.toString(s.delay()), s.detected() == null ? "-" : s.detected().signal());
        }
        report.printf(Locale.ROOT, "switches %d, detected %d, missed %d, mean delay %s samples (max %s), false alarms %d%s%n",
                score.switches().size(), score.switches().size() - score.missed(), score.missed(),
                score.meanDelay() == null ? "-" : String.format(Locale.ROOT, "%.1f", score.meanDelay()),
                score.maxDelay() == null ? "-" : score.maxDelay(), score.falseAlarms().size(),
                score.falseAlarms().isEmpty() ? "" : " at " + score.falseAlarms().stream().map(d -> d.position() + " (" + d.signal() + ")").toList());
    }

    private PipelineJob job(Scenario scenario, RoutingConfig routing) {
        ScenarioPlan plan = scenario.plan();
        int batch = 128;
        int newPerStep = batch / 2;
        long stepsPerTask = plan.tasks().get(0).trainSamples() / newPerStep;
        Properties learner = DemoStrategy.REPLAY_REWARM.learnerSettings(batch, 0.01, stepsPerTask, setting.seed());
        learner.setProperty("model.hidden", "400,400");
        learner.setProperty("model.classes", Integer.toString(plan.numClasses()));
        learner.setProperty("eval.period", "5");
        learner.setProperty("eval.dense.window", "30");
        Properties evaluator = new Properties();
        evaluator.setProperty("eval.set.size", Integer.toString(setting.evalPerTask()));
        return new PipelineJob(plan.stream(), routing, learner, evaluator,
                List.of(new PipelineJob.Phase(new MappedSource(scenario.samples(), DriftScan::taskFree), plan.totalTrainSamples(), null)),
                plan.totalTrainSamples(), newPerStep, out.resolve("state"));
    }

    private void printPipeline(PrintWriter report, DemoResult result) throws IOException {
        double rewarms = registry.find("clpipe.learner.boundaries").counters().stream().mapToDouble(Counter::count).sum();
        List<String> lines = result.metricLines().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        Files.write(out.resolve("metrics.jsonl"), lines, StandardCharsets.UTF_8);
        RunMetrics metrics = RunMetrics.of(lines);
        report.printf(Locale.ROOT, "pipeline: %d samples trained in %d iterations (%.0f s); learner re-warms %.0f; segments scored %s%n",
                result.trainSamples(), result.iterations(), result.seconds(), rewarms, metrics.snapshot().tasks());
        report.printf(Locale.ROOT, "%-12s %-10s %8s %8s %8s %10s%n", "boundary it", "old seg.", "before", "worst", "depth", "recovery");
        for (StabilityGap g : metrics.snapshot().gaps()) {
            report.printf(Locale.ROOT, "%-12d %-10s %8.3f %8s %8s %10s%n", g.boundaryIteration(), g.task(), g.before(),
                    g.worst() == null ? "-" : String.format(Locale.ROOT, "%.3f", g.worst()),
                    g.depth() == null ? "-" : String.format(Locale.ROOT, "%.3f", g.depth()),
                    g.recoveryIterations() == null ? "never" : g.recoveryIterations());
        }
        report.printf(Locale.ROOT, "final ACC %s, mean gap depth %s, mean recovery %s iterations%n", fmt(metrics.snapshot().acc()),
                fmt(metrics.meanGapDepth()), fmt(metrics.meanRecoveryIterations()));
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
