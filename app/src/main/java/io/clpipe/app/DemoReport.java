package io.clpipe.app;

import io.clpipe.app.demo.DemoResult;
import io.clpipe.app.demo.DemoSettings;
import io.clpipe.app.report.ReportFiles;
import io.clpipe.app.report.ReportInput;
import io.clpipe.app.report.RunReport;
import io.clpipe.app.report.RunSettings;
import io.clpipe.ingest.scenario.ScenarioPlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a finished demo run into the report files and prints the headline table. */
final class DemoReport {

    private DemoReport() {
    }

    static ReportFiles write(Path outDir, DemoSettings settings, ScenarioPlan plan, DemoResult result, Instant started,
                             PrintWriter console) throws IOException {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("tasks", String.join(", ", plan.taskNames()));
        extra.put("train_samples", Long.toString(plan.totalTrainSamples()));
        extra.put("eval_samples_per_task", Integer.toString(settings.evalPerTask()));
        extra.put("model", "MLP 784-400-400-" + plan.numClasses() + ", SGD momentum 0.9");
        extra.put("batch", settings.batchSize() + (settings.strategy().cliName().startsWith("replay") ? " (half replayed)" : ""));
        extra.put("peak_lr", Double.toString(settings.lr()));
        extra.put("evaluation", "every " + settings.evalPeriod() + " iterations, every iteration for " + settings.denseWindow()
                + " after a boundary");
        extra.put("iterations", Long.toString(result.iterations()));
        extra.put("evaluations_published", Integer.toString(result.metrics().size()));
        RunSettings run = new RunSettings(settings.scenario(), settings.strategy().cliName(), settings.seed(),
                settings.epochsPerTask(), started, Duration.ofMillis(Math.round(result.seconds() * 1000)), extra);
        List<String> lines = result.metricLines().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        ReportFiles files = RunReport.write(outDir, new ReportInput(lines, result.learningRate(), result.trainingLoss(), run));
        console.println(files.console());
        console.flush();
        return files;
    }
}
