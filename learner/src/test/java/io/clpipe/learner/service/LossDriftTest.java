package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.drift.AdwinConfig;
import io.clpipe.drift.DriftConfig;
import io.clpipe.drift.Signal;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.learner.engine.schedule.WarmupDecay;
import io.clpipe.models.ModelSpec;
import io.clpipe.schemas.EvaluationPlan;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learner's loss detector on a task-free stream (no task names): re-warm at an exact iteration, restart-exact. */
class LossDriftTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final ModelSpec SPEC = new ModelSpec.Mlp(TwoTasks.DIM, new int[] {16}, 2, 32);
    /** 1600 samples per concept, batch 32: 50 steps on label = [x0 + x1 > 0], then 50 on the flipped labels, no task field. */
    private static final List<Sample> RECORDS = flippedAfterHalf(TwoTasks.samples("s", 1600, 3));
    private static final DriftConfig DRIFT = DriftConfig.defaults().withSignals(Set.of(Signal.LOSS)).withMinSegmentSamples(20)
            .withAdwin(AdwinConfig.defaults().withClock(1));

    private static List<Sample> flippedAfterHalf(List<Sample> samples) {
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            s.setTask(null);
            boolean positive = s.getFeatures().get(0) + s.getFeatures().get(1) > 0;
            s.setLabel(positive == (i < samples.size() / 2) ? 1 : 0);
        }
        return samples;
    }

    private static LearnerConfig config() {
        return LearnerConfig.defaults().withBatchSize(32).withSchedule(WarmupDecay.cosine(0.02, 0.002, 2, 100).withRewarm(0.02, 1));
    }

    private static StreamLearner fresh(MemoryOutput out) {
        StreamContext ctx = new StreamContext(config(), EvaluationPlan.every(1000), out, new SimpleMeterRegistry(), CLOCK,
                DRIFT);
        return StreamLearner.create(ctx, "s", "clpipe.train", 0, SPEC, 0, null, Map.of(0, 0L));
    }

    private static void feed(StreamLearner learner, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(learner.offer(i, RECORDS.get(i))).isEmpty();
        }
    }

    private static List<ControlEvent> drifts(MemoryOutput out) {
        return out.controls.stream().filter(e -> e.getType() == ControlType.DRIFT_DETECTED).toList();
    }

    @Test
    void aLossRiseReWarmsAtOneExactIterationSoonAfterTheConceptChanges() {
        MemoryOutput out = new MemoryOutput();
        try (StreamLearner learner = fresh(out)) {
            feed(learner, 0, RECORDS.size());
            List<ControlEvent> drifts = drifts(out);
            assertThat(drifts).hasSize(1);
            ControlEvent e = drifts.get(0);
            assertThat(e.getSource()).isEqualTo("learner");
            assertThat(e.getReason()).contains("training loss");
            // the concept changes after iteration 50 (sample 1600); the first step on it is 51 (measured: 64)
            assertThat(e.getIteration()).isBetween(51L, 70L);
            LearnerState state = learner.checkpointState();
            assertThat(state.schedule().restarts()).isEqualTo(1);
            assertThat(state.callerData().get("boundary.iteration")).isEqualTo(Long.toString(e.getIteration()));
        }
    }

    @Test
    void withoutTheLossSignalNothingIsDetected() {
        MemoryOutput out = new MemoryOutput();
        StreamContext ctx = new StreamContext(config(), EvaluationPlan.every(1000), out, new SimpleMeterRegistry(), CLOCK);
        try (StreamLearner learner = StreamLearner.create(ctx, "s", "clpipe.train", 0, SPEC, 0, null, Map.of(0, 0L))) {
            feed(learner, 0, RECORDS.size());
            assertThat(drifts(out)).isEmpty();
            assertThat(learner.checkpointState().schedule().restarts()).isZero();
        }
    }

    @Test
    void aResumedLearnerReWarmsAtTheSameIterationAndEndsBitIdentical(@TempDir Path dir) {
        MemoryOutput reference = new MemoryOutput();
        LearnerState expected;
        try (StreamLearner learner = fresh(reference)) {
            feed(learner, 0, RECORDS.size());
            expected = learner.checkpointState();
        }
        long detectedAt = drifts(reference).get(0).getIteration();
        DirectoryCheckpointStore store = new DirectoryCheckpointStore(dir);
        // before the change, between it and the detection, after the detection
        for (int stopAfter : new int[] {1200, 1600 + 32, (int) detectedAt * 32 + 64}) {
            MemoryOutput out = new MemoryOutput();
            try (StreamLearner first = fresh(out)) {
                feed(first, 0, stopAfter);
                store.write("clpipe.train", 0, "s", first.checkpointState());
            }
            StreamContext ctx = new StreamContext(config(), EvaluationPlan.every(1000), out, new SimpleMeterRegistry(),
                    CLOCK, DRIFT);
            try (StreamLearner resumed = StreamLearner.restore(ctx, store.readPartition("clpipe.train", 0).get(0))) {
                feed(resumed, 0, RECORDS.size());
                LearnerState end = resumed.checkpointState();
                assertThat(Arrays.equals(end.parameters(), expected.parameters())).as("weights after resuming at %d", stopAfter).isTrue();
                assertThat(end.callerData()).isEqualTo(expected.callerData());
            }
            assertThat(drifts(out)).extracting(ControlEvent::getIteration).containsExactly(detectedAt);
        }
    }

    @Test
    void settingsAreReadFromDriftKeysAndOtherSignalsAreRefused() {
        Properties p = new Properties();
        p.setProperty("drift.signals", "loss");
        p.setProperty("drift.adwin.clock", "4");
        LearnerServiceConfig c = LearnerServiceConfig.fromProperties(p);
        assertThat(c.drift().watches(Signal.LOSS)).isTrue();
        assertThat(c.drift().adwin().clock()).isEqualTo(4);
        assertThat(LearnerServiceConfig.fromProperties(new Properties()).drift().signals()).isEmpty();
        p.setProperty("drift.signals", "features");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(p))
                .hasMessageContaining("only 'loss'");
    }
}
