package io.clpipe.app.reproduce;

import io.clpipe.app.demo.DemoResult;
import io.clpipe.app.demo.DemoRun;
import io.clpipe.app.demo.PipelineJob;
import io.clpipe.app.report.ReportInput;
import io.clpipe.app.report.RunReport;
import io.clpipe.app.report.RunSettings;
import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.routing.TextChunker;
import io.clpipe.learner.service.TextUnits;
import io.clpipe.ingest.source.ListSource;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Runs one arm of {@code reproduce rewarm} through the whole pipeline ({@link DemoRun}: embedded
 * broker, ingest chunking the man pages, the byte-LM learner, the evaluator scoring validation loss
 * per domain) and writes its run report into {@code <out>/<arm>/}.
 */
final class RewarmRunner {

    /** Ingest cuts produced text into pieces of this many bytes; each piece starts with an empty context. */
    static final int CHUNK_BYTES = 2048;
    private static final long PROGRESS_SECONDS = 15;

    private final RewarmSetting setting;
    private final RewarmData data;
    private final PrintWriter console;

    RewarmRunner(RewarmSetting setting, RewarmData data, PrintWriter console) {
        this.setting = setting;
        this.data = data;
        this.console = console;
    }

    RewarmRun run(RewarmArm arm, Path out) throws Exception {
        Path dir = out.resolve(arm.label().replace('%', 'p').replace('+', '-'));
        PipelineJob job = job(arm, dir.resolve("state"));
        console.printf(Locale.ROOT, "%s: %,d training windows, %d new + %d replayed per step...%n", arm.label(), job.trainUnits(),
                arm.newPerStep(setting), arm.replayPerStep(setting));
        console.flush();
        Instant started = Instant.now();
        DemoResult result = new DemoRun(job, new SimpleMeterRegistry())
                .run(new ProgressLines(console, arm.label(), PROGRESS_SECONDS)::update);
        List<String> lines = result.metricLines().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("setting", setting.describe());
        extra.put("arm", arm.label());
        extra.put("iterations", Long.toString(result.iterations()));
        extra.put("evaluations_published", Integer.toString(lines.size()));
        RunSettings runSettings = new RunSettings("manpages en->de", arm.label(), setting.seed(), 1, started,
                Duration.ofMillis(Math.round(result.seconds() * 1000)), extra);
        RunReport.write(dir, new ReportInput(lines, result.learningRate(), result.trainingLoss(), runSettings));
        console.printf(Locale.ROOT, "%s: done in %.0f s, %d iterations, %d evaluations; report %s%n", arm.label(), result.seconds(),
                result.iterations(), lines.size(), dir.resolve("report.html"));
        console.flush();
        return new RewarmRun(arm, lines, result.metrics(), result.iterations(), result.seconds(), dir);
    }

    /** Validation text of both domains first, then the arm's training text in its phases. */
    PipelineJob job(RewarmArm arm, Path workDir) {
        List<Sample> eval = new ArrayList<>(data.validation(RewarmData.EN, setting.evalDocs(), setting.evalBytes()));
        List<Sample> evalDe = data.validation(RewarmData.DE, setting.evalDocs(), setting.evalBytes());
        long evalWindows = Math.min(RewarmData.utf8Bytes(eval), RewarmData.utf8Bytes(evalDe));
        eval.addAll(evalDe);
        long budget = arm.phaseBytes(setting);
        List<PipelineJob.Phase> phases = new ArrayList<>();
        long units;
        if (arm == RewarmArm.UNION) {
            List<Sample> union = data.union(budget, budget);
            units = units(union);
            phases.add(phase(eval, union, null));
        } else {
            List<Sample> en = data.train(RewarmData.EN, arm.firstPhaseBytes(setting));
            List<Sample> de = data.train(RewarmData.DE, budget);
            units = units(en) + units(de);
            phases.add(phase(eval, en, null));
            if (arm == RewarmArm.INFINITE) {
                // the anneal is requested, as an operator would, once all but its last steps' text is trained
                long tail = RewarmArm.annealSteps(setting) * arm.newPerStep(setting) * setting.bytesPerSample();
                List<List<Sample>> cut = RewarmData.cut(de, RewarmData.utf8Bytes(de) - tail);
                phases.add(phase(List.of(), cut.get(0), null));
                phases.add(phase(List.of(), cut.get(1), ControlEvent.newBuilder().setStream(RewarmSetting.STREAM)
                        .setType(ControlType.ANNEAL_REQUEST).setReason("reproduce rewarm: anneal over the last "
                                + RewarmArm.annealSteps(setting) + " steps").setSource("user").setTimestamp(System.currentTimeMillis()).build()));
            } else {
                phases.add(phase(List.of(), de, null));
            }
        }
        Properties evaluator = new Properties();
        evaluator.setProperty("eval.set.size", Long.toString(evalWindows));
        evaluator.setProperty("eval.reservoir.size", Long.toString(evalWindows));
        evaluator.setProperty("text.context", Integer.toString(setting.context()));
        RoutingConfig routing = RoutingConfig.defaults().withEvalPerMille(0).withTextChunkBytes(CHUNK_BYTES);
        return new PipelineJob(RewarmSetting.STREAM, routing, arm.learnerSettings(setting), evaluator, phases, units,
                arm.newPerStep(setting), workDir);
    }

    private PipelineJob.Phase phase(List<Sample> eval, List<Sample> train, ControlEvent first) {
        List<Sample> all = new ArrayList<>(eval);
        all.addAll(train);
        return new PipelineJob.Phase(new ListSource(all, all.size() + " text records"), units(train), first);
    }

    /** Training samples the learner makes of {@code records} once ingest has cut them into chunks (one per byte for the MLP). */
    long units(List<Sample> records) {
        if (setting.transformer() == null) {
            return RewarmData.utf8Bytes(records);
        }
        TextChunker chunker = new TextChunker(CHUNK_BYTES);
        long n = 0;
        for (Sample record : records) {
            for (Sample chunk : chunker.chunks(record)) {
                n += TextUnits.count(setting.modelSpec(), chunk.getText().getBytes(StandardCharsets.UTF_8).length);
            }
        }
        return n;
    }
}
