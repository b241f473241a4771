package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.learner.engine.replay.ReplayConfig;
import io.clpipe.learner.engine.replay.ReplayPolicy;
import io.clpipe.learner.engine.schedule.WarmupDecay;
import io.clpipe.models.ModelSpec;
import io.clpipe.schemas.EvaluationPlan;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One stream's learner without Kafka: snapshot cadence, boundaries, control events, exact resume. */
class StreamLearnerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final ModelSpec SPEC = new ModelSpec.Mlp(TwoTasks.DIM, new int[] {16}, 2, 32);
    private static final List<Sample> RECORDS = TwoTasks.samples("s", 300, 1);

    /** Batch 32, cosine 0.1 → 0.01 over 20 steps after a 2-step warmup, re-warm to 0.1 over 1 step. */
    private static LearnerConfig config() {
        return LearnerConfig.defaults().withBatchSize(32)
                .withSchedule(WarmupDecay.cosine(0.1, 0.01, 2, 20).withRewarm(0.1, 1));
    }

    private static StreamContext context(LearnerConfig config, MemoryOutput out, EvaluationPlan plan) {
        return new StreamContext(config, plan, out, new SimpleMeterRegistry(), CLOCK);
    }

    private static StreamLearner fresh(StreamContext ctx) {
        return StreamLearner.create(ctx, "s", "clpipe.train", 0, SPEC, 0, RECORDS.get(0).getTask(), Map.of(0, 0L));
    }

    private static void feed(StreamLearner learner, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(learner.offer(i, RECORDS.get(i))).isEmpty();
        }
    }

    @Test
    void snapshotsFollowThePlanIncludingTheBoundaryAndTheReWarmShowsInTheirLearningRate() {
        MemoryOutput out = new MemoryOutput();
        try (StreamLearner learner = fresh(context(config(), out, EvaluationPlan.boundaryDense(4, 3)))) {
            feed(learner, 0, RECORDS.size());
            // 300 t0 samples: 9 steps of 32 and the 12 left as a 10th step at the switch; the boundary
            // is at iteration 10; 300 t1 samples: 9 steps (11..19), 12 pending.
            assertThat(learner.iteration()).isEqualTo(19);
            assertThat(learner.samplesTrained()).isEqualTo(588);
            assertThat(learner.pending()).isEqualTo(12);
            assertThat(learner.trainedPosition()).isEqualTo(StreamPosition.at(588));
        }
        assertThat(out.versions()).containsExactly(0L, 4L, 8L, 10L, 11L, 12L, 16L);
        // v10 is t0's last iteration: labelled with the OLD task (it used to be labelled t1)
        assertThat(out.snapshots).extracting(ModelSnapshot::getTask).containsExactly("t0", "t0", "t0", "t0", "t1", "t1", "t1");
        assertThat(out.snapshots.get(0).getSeenTasks()).containsExactly("t0");
        assertThat(out.snapshots.get(2).getSeenTasks()).containsExactly("t0");
        // the learner has read t1's first record when it publishes v10: the evaluator scores t1 on t0's last model
        assertThat(out.snapshots.get(3).getSeenTasks()).containsExactly("t0", "t1");
        assertThat(out.snapshots.get(0).getLoss()).isNaN();
        // warmup step 0 runs at η_max·1/T_w (it used to run at 0)
        assertThat(out.snapshots.get(0).getLearningRate()).isCloseTo(0.05, within(1e-12));
        // v11 is the first step after the boundary: the 1-step re-warm runs at the peak 0.1 at once
        // (it used to run at 0), above the decayed rate of v8; v12 starts the decay from the peak.
        assertThat(out.snapshots.get(4).getLearningRate()).isCloseTo(0.1, within(1e-12));
        assertThat(out.snapshots.get(4).getParametersCrc32c()).isNotEqualTo(out.snapshots.get(3).getParametersCrc32c());
        assertThat(out.snapshots.get(5).getLearningRate()).isCloseTo(0.1, within(1e-12));
        assertThat(out.snapshots.get(2).getLearningRate()).isBetween(0.02, 0.095);
        for (ModelSnapshot s : out.snapshots) {
            assertThat(ParameterBytes.verifiedParameters(s)).hasSize(16 * 8 + 16 + 2 * 16 + 2);
            assertThat(s.getModelSpec()).isEqualTo("mlp in=8 hidden=16 classes=2 batch=32");
        }
    }

    /**
     * The boundary contract for ρ = 1 and ρ = 5 and t0 lengths that put b at every residue class of
     * interest: b (t0's last iteration, its tail trained as a short step at the switch) is published
     * whatever ρ, labelled t0; every later version is labelled t1; step b + 1 runs at a positive rate.
     */
    @ParameterizedTest(name = "rho {0}, {1} t0 samples")
    @CsvSource({"1,300", "1,64", "5,300", "5,320", "5,330", "5,380", "5,400", "5,270", "5,140"})
    void theLastOldTaskIterationIsAlwaysPublishedLabelledWithTheOldTask(int rho, int t0Samples) {
        List<Sample> t0 = TwoTasks.samples("s", 400, 1).subList(0, t0Samples);
        List<Sample> t1 = RECORDS.subList(300, 400);
        List<Sample> records = new ArrayList<>(t0);
        records.addAll(t1);
        long b = (t0Samples + 31) / 32; // batch 32, no replay: ceil(t0 / 32) steps, the last one short at the switch
        MemoryOutput out = new MemoryOutput();
        try (StreamLearner learner = StreamLearner.create(context(config(), out, EvaluationPlan.every(rho)), "s", "clpipe.train", 0,
                SPEC, 0, "t0", Map.of(0, 0L))) {
            for (int i = 0; i < records.size(); i++) {
                assertThat(learner.offer(i, records.get(i))).isEmpty();
            }
            assertThat(learner.iteration()).isEqualTo(b + 3); // 100 t1 samples: 3 full steps
        }
        List<Long> expected = new ArrayList<>();
        for (long v = 0; v <= b + 3; v++) {
            if (v % rho == 0 || v == b) {
                expected.add(v);
            }
        }
        assertThat(out.versions()).as("b = %d, b mod rho = %d", b, b % rho).containsExactlyElementsOf(expected);
        for (ModelSnapshot snapshot : out.snapshots) {
            assertThat(snapshot.getTask()).as("label of v%d (b = %d)", snapshot.getVersion(), b)
                    .isEqualTo(snapshot.getVersion() <= b ? "t0" : "t1");
            if (snapshot.getVersion() > b) {
                assertThat(snapshot.getLearningRate()).as("rate of v%d", snapshot.getVersion()).isPositive();
            }
        }
        if (rho == 1) {
            assertThat(out.snapshots.get((int) b + 1).getParametersCrc32c()).as("step b + 1 changes the weights")
                    .isNotEqualTo(out.snapshots.get((int) b).getParametersCrc32c());
        }
    }

    @Test
    void resumingFromACheckpointFileAtAnyMomentEndsBitIdenticalWithTheSameSnapshots(@TempDir Path dir) {
        LearnerConfig config = config().withReplay(ReplayConfig.of(ReplayPolicy.RESERVOIR, 100, 0.25));
        EvaluationPlan plan = EvaluationPlan.boundaryDense(4, 3);
        MemoryOutput reference = new MemoryOutput();
        LearnerState expected;
        try (StreamLearner learner = fresh(context(config, reference, plan))) {
            feed(learner, 0, RECORDS.size());
            expected = learner.checkpointState();
        }
        DirectoryCheckpointStore store = new DirectoryCheckpointStore(dir);
        // mid-task, with a partial batch of t0 pending just before the switch, right after the switch
        for (int stopAfter : new int[] {150, 299, 301, 450}) {
            MemoryOutput out = new MemoryOutput();
            try (StreamLearner first = fresh(context(config, out, plan))) {
                feed(first, 0, stopAfter);
                store.write("clpipe.train", 0, "s", first.checkpointState());
            }
            List<LearnerState> saved = store.readPartition("clpipe.train", 0);
            assertThat(saved).hasSize(1);
            try (StreamLearner resumed = StreamLearner.restore(context(config, out, plan), saved.get(0))) {
                feed(resumed, 0, RECORDS.size()); // from the start: what was trained is ignored
                LearnerState end = resumed.checkpointState();
                assertThat(end.iteration()).isEqualTo(expected.iteration());
                assertThat(end.callerData().get("samples.trained")).isEqualTo("588");
                assertThat(Arrays.equals(end.parameters(), expected.parameters()))
                        .as("weights after resuming at record %d", stopAfter).isTrue();
                assertThat(end.replay()).usingRecursiveComparison().isEqualTo(expected.replay());
                for (String key : new String[] {"prequential.correct", "prequential.loss", "prequential.weight", "prequential.samples"}) {
                    assertThat(end.callerData().get(key)).as("%s after resuming at record %d", key, stopAfter)
                            .isNotNull().isEqualTo(expected.callerData().get(key));
                }
            }
            assertThat(out.versions()).as("each version once, after a resume at %d", stopAfter)
                    .isEqualTo(reference.versions());
            for (int i = 0; i < out.snapshots.size(); i++) {
                assertThat(out.snapshots.get(i).getParametersCrc32c()).isEqualTo(reference.snapshots.get(i).getParametersCrc32c());
                assertThat(out.snapshots.get(i).getTask()).isEqualTo(reference.snapshots.get(i).getTask());
                assertThat(out.snapshots.get(i).getSeenTasks()).isEqualTo(reference.snapshots.get(i).getSeenTasks());
                assertThat(out.headers.get(i)).as("prequential headers of version %d", out.snapshots.get(i).getVersion())
                        .isEqualTo(reference.headers.get(i));
            }
        }
    }

    @Test
    void taskStartEventsOnTheControlTopicAreInformationalWhoeverWroteThem() {
        MemoryOutput out = new MemoryOutput();
        try (StreamLearner learner = fresh(context(config(), out, EvaluationPlan.every(1000)))) {
            feed(learner, 0, 96); // 3 steps
            learner.control(0, 0, event(ControlType.TASK_START, "ingest"));
            learner.control(0, 1, event(ControlType.TASK_START, "user"));
            LearnerState state = learner.checkpointState();
            assertThat(state.schedule().restarts()).as("boundaries come in-band, at a defined position").isZero();
            assertThat(state.callerData()).containsEntry("control.0", "2");
        }
    }

    @Test
    void aDivergingStepIsRolledBackAndAnnouncedOnTheControlTopic() {
        MemoryOutput out = new MemoryOutput();
        List<Sample> records = new ArrayList<>(RECORDS.subList(0, 64));
        float[] huge = new float[TwoTasks.DIM];
        Arrays.fill(huge, 3e38f);
        records.set(40, Sample.newBuilder(records.get(40)).setFeatures(Features.of(huge)).build());
        try (StreamLearner learner = fresh(context(config(), out, EvaluationPlan.every(1000)))) {
            for (int i = 0; i < records.size(); i++) {
                learner.offer(i, records.get(i));
            }
            assertThat(learner.iteration()).isEqualTo(2);
        }
        assertThat(out.controls).extracting(ControlEvent::getType).containsExactly(ControlType.DIVERGENCE, ControlType.ROLLBACK);
        assertThat(out.controls).allSatisfy(e -> {
            assertThat(e.getSource()).isEqualTo("learner");
            assertThat(e.getIteration()).isEqualTo(2L);
            assertThat(e.getStream()).isEqualTo("s");
        });
    }

    @Test
    void checkpointGaugesCountStepsSinceTheLastCheckpointAndItsTime() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Instant start = CLOCK.instant();
        Clock[] now = {CLOCK};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0].instant();
            }
        };
        StreamContext ctx = new StreamContext(config(), EvaluationPlan.every(1000), new MemoryOutput(), registry, clock);
        try (StreamLearner learner = fresh(ctx)) {
            double takenOver = start.getEpochSecond();
            assertThat(registry.get("clpipe.learner.checkpoint.timestamp.seconds").tag("stream", "s").gauge().value()).isEqualTo(takenOver);
            feed(learner, 0, 100); // 3 steps of 32
            assertThat(registry.get("clpipe.learner.steps.since.checkpoint").tag("stream", "s").gauge().value()).isEqualTo(3.0);
            now[0] = Clock.offset(CLOCK, java.time.Duration.ofSeconds(90));
            assertThat(registry.get("clpipe.learner.checkpoint.timestamp.seconds").tag("stream", "s").gauge().value()).isEqualTo(takenOver);
            learner.checkpointState();
            learner.checkpointWritten();
            assertThat(registry.get("clpipe.learner.steps.since.checkpoint").tag("stream", "s").gauge().value()).isZero();
            assertThat(registry.get("clpipe.learner.checkpoint.timestamp.seconds").tag("stream", "s").gauge().value()).isEqualTo(takenOver + 90);
            feed(learner, 100, 140);
            assertThat(registry.get("clpipe.learner.steps.since.checkpoint").tag("stream", "s").gauge().value()).isEqualTo(1.0);
            assertThat(registry.find("clpipe.learner.task.info").tag("stream", "s").gauges())
                    .extracting(g -> g.getId().getTag("task")).containsExactly("t0");
            feed(learner, 140, RECORDS.size());
            assertThat(registry.find("clpipe.learner.task.info").tag("stream", "s").gauges())
                    .as("the info gauge follows the boundary").extracting(g -> g.getId().getTag("task")).containsExactly("t1");
        }
    }

    @Test
    void aRecordThatDoesNotFitTheModelIsConsumedWithoutTraining() {
        MemoryOutput out = new MemoryOutput();
        try (StreamLearner learner = fresh(context(config(), out, EvaluationPlan.every(1000)))) {
            Sample wrongDim = Sample.newBuilder(RECORDS.get(0)).setFeatures(Features.of(1f, 2f)).build();
            Sample badLabel = Sample.newBuilder(RECORDS.get(0)).setLabel(5).build();
            assertThat(learner.offer(0, wrongDim)).hasValueSatisfying(m -> assertThat(m).contains("2 features"));
            assertThat(learner.offer(1, badLabel)).hasValueSatisfying(m -> assertThat(m).contains("label 5"));
            assertThat(learner.trainedPosition()).isEqualTo(StreamPosition.at(2));
            assertThat(learner.iteration()).isZero();
        }
    }

    private static ControlEvent event(ControlType type, String source) {
        return ControlEvent.newBuilder().setStream("s").setType(type).setTask("t0").setSource(source).setTimestamp(0).build();
    }
}
