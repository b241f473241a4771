package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.clpipe.models.ModelSpecCodec;
import io.clpipe.models.ParameterLayout;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.MetricDirection;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation core without Kafka: scores, dedupe, missing tasks, rejection, replay and restore. */
class SnapshotEvaluatorTest {

    private static final String S = "digits";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private final List<SnapshotEvaluator> evaluators = new ArrayList<>();
    private SimpleMeterRegistry registry;
    private EvaluatorServiceConfig config;

    @BeforeEach
    void setUp() {
        registry = new SimpleMeterRegistry();
        config = Scenario.config(dir).build();
    }

    @AfterEach
    void closeModels() {
        evaluators.forEach(SnapshotEvaluator::close);
    }

    private SnapshotEvaluator evaluator(boolean withTaskB) {
        EvaluatorMeters meters = new EvaluatorMeters(registry);
        EvalIntake intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        TestStreams.samples(S, "a", 0, 20).forEach(intake::offer);
        if (withTaskB) {
            TestStreams.samples(S, "b", 2, 20).forEach(intake::offer);
        }
        SnapshotEvaluator evaluator = new SnapshotEvaluator(config, intake, meters, CLOCK);
        evaluators.add(evaluator);
        return evaluator;
    }

    /** schemas/json/iteration-metrics.schema.json: every record these tests publish must satisfy it. */
    private static final com.networknt.schema.JsonSchema METRICS_SCHEMA = metricsSchema();

    private static com.networknt.schema.JsonSchema metricsSchema() {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("../schemas/json/iteration-metrics.schema.json"))) {
            return com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static IterationMetrics published(SnapshotEvaluator.Outcome outcome) {
        assertThat(outcome).isInstanceOf(SnapshotEvaluator.Outcome.Evaluated.class);
        // what a reader of the metrics topic gets back
        byte[] json = MetricsJson.write(((SnapshotEvaluator.Outcome.Evaluated) outcome).metrics());
        try {
            assertThat(METRICS_SCHEMA.validate(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)))
                    .as("schema errors of %s", new String(json, java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return MetricsJson.parse(json);
    }

    @Test
    void everyRecordMatchesTheHandWorkedTableAndTheGaugesFollow() {
        SnapshotEvaluator evaluator = evaluator(true);
        for (Scenario.Step step : Scenario.STEPS) {
            Scenario.check(published(evaluator.evaluate(Scenario.snapshot(S, step))));
        }
        assertThat(gauge("clpipe.eval.accuracy", "a")).isEqualTo(1.0);
        assertThat(gauge("clpipe.eval.loss", "b")).isCloseTo(TestStreams.LOSS_KNOWN, within(1e-5));
        assertThat(gauge("clpipe.eval.set.size", "b")).isEqualTo(Scenario.EVAL_SET_SIZE);
        assertThat(gauge("clpipe.eval.gap.depth", "a")).isEqualTo(1.0);
        assertThat(streamGauge("clpipe.eval.acc")).isEqualTo(1.0);
        assertThat(streamGauge("clpipe.eval.min.acc")).isEqualTo(0.0);
        assertThat(streamGauge("clpipe.eval.wc.acc")).isEqualTo(0.5);
        assertThat(streamGauge("clpipe.eval.wf10")).isEqualTo(0.5);
        assertThat(streamGauge("clpipe.eval.bwt")).isEqualTo(0.0);
        assertThat(streamGauge("clpipe.eval.iteration")).isEqualTo(6.0);
        assertThat(streamGauge("clpipe.eval.lag.versions")).isEqualTo(0.0);
        assertThat(registry.get("clpipe.eval.evaluations").tags("stream", S).counter().count()).isEqualTo(7.0);
        assertThat(registry.get("clpipe.eval.seconds").tags("stream", S).timer().count()).isEqualTo(7);
    }

    @Test
    void republishedAndOlderVersionsAreNotEvaluatedAgain() {
        SnapshotEvaluator evaluator = evaluator(true);
        for (int v = 0; v <= 3; v++) {
            published(evaluator.evaluate(Scenario.snapshot(S, Scenario.STEPS.get(v))));
        }
        assertThat(evaluator.evaluate(Scenario.snapshot(S, Scenario.STEPS.get(3))))
                .isEqualTo(new SnapshotEvaluator.Outcome.Duplicate(S, 3, 3));
        assertThat(evaluator.evaluate(Scenario.snapshot(S, Scenario.STEPS.get(1))))
                .isEqualTo(new SnapshotEvaluator.Outcome.Duplicate(S, 1, 3));
        // had v3 been fed again, its scores would count twice in the windows and the learning curve
        for (int v = 4; v <= 6; v++) {
            Scenario.check(published(evaluator.evaluate(Scenario.snapshot(S, Scenario.STEPS.get(v)))));
        }
        assertThat(registry.get("clpipe.eval.duplicates").tags("stream", S).counter().count()).isEqualTo(2.0);
        assertThat(evaluator.lastEvaluated()).containsEntry(S, 6L);
    }

    @Test
    void seenTaskWithoutEvalSamplesIsReportedMissingWhileTheOthersAreScored() {
        EvaluatorMeters meters = new EvaluatorMeters(registry);
        EvalIntake intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        TestStreams.samples(S, "a", 0, 20).forEach(intake::offer);
        SnapshotEvaluator evaluator = new SnapshotEvaluator(config, intake, meters, CLOCK);
        evaluators.add(evaluator);

        IterationMetrics v1 = published(evaluator.evaluate(TestStreams.snapshot(S, 1, "b", List.of("a", "b"), Set.of(0))));
        assertThat(v1.getTasks().get("a").getAccuracy()).isEqualTo(0.5);
        assertThat(v1.getTasks().get("b").getAccuracy()).isNull();
        assertThat(v1.getTasks().get("b").getLoss()).isNull();
        assertThat(v1.getTasks().get("b").getSamples()).isZero();

        TestStreams.samples(S, "b", 2, 20).forEach(intake::offer);
        IterationMetrics v2 = published(evaluator.evaluate(TestStreams.snapshot(S, 2, "b", List.of("a", "b"), Set.of(0, 2))));
        assertThat(v2.getTasks().get("b").getAccuracy()).isEqualTo(0.5);
        assertThat(v2.getTasks().get("b").getSamples()).isEqualTo(Scenario.EVAL_SET_SIZE);
        assertThat(v2.getAggregates().get("acc")).isEqualTo(0.5);
    }

    @Test
    void unusableSnapshotsAreRejectedAndTheStreamGoesOn() {
        SnapshotEvaluator evaluator = evaluator(true);
        ModelSnapshot good = Scenario.snapshot(S, Scenario.STEPS.get(0));
        ModelSnapshot badCrc = ModelSnapshot.newBuilder(good).setParametersCrc32c(good.getParametersCrc32c() ^ 1).build();
        ModelSnapshot unknownKind = ModelSnapshot.newBuilder(good).setModelSpec("cnn in=8").build();
        ModelSnapshot wrongSize = ModelSnapshot.newBuilder(good).setModelSpec("mlp in=8 hidden=none classes=4 batch=64").build();

        assertThat(rejection(evaluator.evaluate(badCrc))).contains("CRC-32C");
        assertThat(rejection(evaluator.evaluate(unknownKind))).contains("unknown model kind");
        assertThat(rejection(evaluator.evaluate(wrongSize))).contains("45 parameters");
        Scenario.check(published(evaluator.evaluate(good)));
        assertThat(registry.get("clpipe.eval.rejected").tags("stream", S).counter().count()).isEqualTo(3.0);
    }

    private static String rejection(SnapshotEvaluator.Outcome outcome) {
        assertThat(outcome).isInstanceOf(SnapshotEvaluator.Outcome.Rejected.class);
        return ((SnapshotEvaluator.Outcome.Rejected) outcome).reason();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"byte-lm ctx=4 emb=2 hidden=none batch=64",
            "byte-transformer ctx=4 d=8 heads=2 layers=1 batch=64"})
    void byteLanguageModelsAreScoredOnTextWindowsByLoss(String spec) {
        EvaluatorMeters meters = new EvaluatorMeters(registry);
        EvalIntake intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        intake.offer(Sample.newBuilder().setStream("text").setTask("en").setText("hello world, again").build());
        SnapshotEvaluator evaluator = new SnapshotEvaluator(config, intake, meters, CLOCK);
        evaluators.add(evaluator);
        // all-zero parameters: uniform next-byte distribution, loss ln 256 on every window
        float[] zeros = new float[ParameterLayout.of(ModelSpecCodec.decode(spec)).size()];
        ModelSnapshot snapshot = ParameterBytes.setParameters(ModelSnapshot.newBuilder(), zeros).setStream("text")
                .setVersion(1).setTask("en").setSeenTasks(List.of("en")).setLearningRate(0.1).setLoss(5.5)
                .setModelSpec(spec).setTimestamp(0).build();

        IterationMetrics m = published(evaluator.evaluate(snapshot));
        assertThat(m.getDirection()).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        assertThat(m.getTasks().get("en").getSamples()).isEqualTo(Scenario.EVAL_SET_SIZE);
        assertThat(m.getTasks().get("en").getLoss()).isCloseTo(Math.log(256), within(1e-5));
        assertThat(m.getAggregates().get("acc")).isCloseTo(Math.log(256), within(1e-5));
        assertThat(m.getAggregates().get("bpb.en")).as("a uniform guess over 256 bytes").isCloseTo(8.0, within(1e-5));
    }

    @Test
    void replayingThePublishedRecordsRebuildsExactlyTheSameState() {
        SnapshotEvaluator original = evaluator(true);
        SnapshotEvaluator rebuilt = evaluator(true);
        for (Scenario.Step step : Scenario.STEPS.subList(0, 5)) {
            IterationMetrics record = published(original.evaluate(Scenario.snapshot(S, step)));
            assertThat(rebuilt.replay(record, true)).isTrue();
            assertThat(rebuilt.replay(record, true)).as("a record already applied").isFalse();
        }
        assertThat(rebuilt.export()).isEqualTo(original.export());
        for (Scenario.Step step : Scenario.STEPS.subList(5, 7)) {
            IterationMetrics expected = published(original.evaluate(Scenario.snapshot(S, step)));
            assertThat(published(rebuilt.evaluate(Scenario.snapshot(S, step)))).isEqualTo(expected);
            Scenario.check(expected);
        }
    }

    @Test
    void restoredStateContinuesExactly() {
        SnapshotEvaluator original = evaluator(true);
        // restored right after the boundary's first new-task version: a restart between v3 and v4 would
        // lose v3's in-memory model, which v3 (not listing b) leaves the evaluator to score on b at v4
        // (docs/metrics.md, "FWT in the service")
        for (Scenario.Step step : Scenario.STEPS.subList(0, 5)) {
            original.evaluate(Scenario.snapshot(S, step));
        }
        List<EvaluatorState.StreamProgress> saved = StateCodecTest.roundTrip(original.export());
        SnapshotEvaluator restored = evaluator(true);
        restored.restore(saved);
        restored.reloadHeldModels(); // as the service does on start: the models kept for FWT
        for (Scenario.Step step : Scenario.STEPS.subList(5, 7)) {
            IterationMetrics expected = published(original.evaluate(Scenario.snapshot(S, step)));
            assertThat(published(restored.evaluate(Scenario.snapshot(S, step)))).isEqualTo(expected);
            Scenario.check(expected);
        }
    }

    private double gauge(String name, String task) {
        return registry.get(name).tags("stream", S, "task", task).gauge().value();
    }

    private double streamGauge(String name) {
        return registry.get(name).tags("stream", S).gauge().value();
    }
}
