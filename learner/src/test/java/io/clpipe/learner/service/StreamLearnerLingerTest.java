package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.learner.engine.replay.ReplayConfig;
import io.clpipe.learner.engine.replay.ReplayPolicy;
import io.clpipe.learner.engine.schedule.WarmupDecay;
import io.clpipe.models.ModelSpec;
import io.clpipe.schemas.EvaluationPlan;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The linger rule of one stream, on a clock the test moves: when a partial batch is cut, and what a restart then does. */
class StreamLearnerLingerTest {

    private static final ModelSpec SPEC = new ModelSpec.Mlp(TwoTasks.DIM, new int[] {16}, 2, 32);
    private static final List<Sample> RECORDS = TwoTasks.samples("s", 300, 3);

    /** A clock that stands still until the test moves it. */
    private static final class ManualClock extends Clock {
        long millis;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private static LearnerConfig config() {
        return LearnerConfig.defaults().withBatchSize(32).withSchedule(WarmupDecay.cosine(0.1, 0.01, 2, 40).withRewarm(0.1, 2))
                .withReplay(ReplayConfig.of(ReplayPolicy.RESERVOIR, 100, 0.25));
    }

    private static StreamContext context(MemoryOutput out, Clock clock) {
        return new StreamContext(config(), EvaluationPlan.every(1), out, new SimpleMeterRegistry(), clock);
    }

    private static StreamLearner fresh(MemoryOutput out, Clock clock) {
        return StreamLearner.create(context(out, clock), "s", "clpipe.train", 0, SPEC, 0, "t0", Map.of(0, 0L));
    }

    private static void feed(StreamLearner learner, int from, int to) {
        for (int i = from; i < to; i++) {
            assertThat(learner.offer(i, RECORDS.get(i))).isEmpty();
        }
    }

    @Test
    void aPartialBatchIsCutOnceTheStreamIsIdleForTheLingerAndItsSnapshotWaitsForTheCheckpoint() {
        ManualClock clock = new ManualClock();
        MemoryOutput out = new MemoryOutput();
        try (StreamLearner learner = fresh(out, clock)) {
            feed(learner, 0, 40); // 24 new per step (a quarter replayed): 1 step, 16 pending
            assertThat(learner.iteration()).isEqualTo(1);
            assertThat(learner.pending()).isEqualTo(16);
            assertThat(learner.lingerDue(1000)).isFalse();
            clock.millis = 999;
            assertThat(learner.lingerDue(1000)).isFalse();
            clock.millis = 1000;
            assertThat(learner.lingerDue(1000)).isTrue();
            assertThat(learner.lingerDue(-1)).as("-1: never").isFalse();

            assertThat(learner.cutBatch()).isEqualTo(16);
            assertThat(learner.iteration()).isEqualTo(2);
            assertThat(learner.pending()).isZero();
            assertThat(learner.lingerDue(0)).as("nothing pending").isFalse();
            assertThat(out.versions()).as("v2 is held back until its cut is checkpointed").containsExactly(0L, 1L);
            LearnerState state = learner.checkpointState();
            assertThat(state.callerData()).containsEntry("linger.cuts", "1").containsEntry("linger.last.iteration", "2")
                    .containsEntry("linger.last.offset", "40").containsEntry("train.offset", "40");
            learner.publishOwedSnapshot();
            learner.publishOwedSnapshot();
            assertThat(out.versions()).containsExactly(0L, 1L, 2L);

            // killed after the checkpoint but before v2 went out: the restored stream publishes it
            MemoryOutput afterRestart = new MemoryOutput();
            try (StreamLearner restored = StreamLearner.restore(context(afterRestart, clock), state)) {
                assertThat(afterRestart.versions()).containsExactly(2L);
                assertThat(afterRestart.snapshots.get(0).getParametersCrc32c()).isEqualTo(out.snapshots.get(2).getParametersCrc32c());
                assertThat(restored.cuts().count()).isEqualTo(1);
            }
        }
    }

    /**
     * What is deterministic: the weights are a function of the records and of the committed cuts. A
     * run that cut at record 40 and was restarted from the checkpoint of that cut, and a run killed
     * before that checkpoint whose restart cut at record 40 again, end bit-identical to the run that
     * never stopped; a run that was not cut there does not.
     */
    @Test
    void weightsDependOnlyOnTheRecordsAndTheCommittedCuts(@TempDir Path dir) {
        ManualClock clock = new ManualClock();
        LearnerState uninterrupted;
        MemoryOutput reference = new MemoryOutput();
        try (StreamLearner learner = fresh(reference, clock)) {
            feed(learner, 0, 40);
            learner.cutBatch();
            learner.publishOwedSnapshot();
            feed(learner, 40, 200);
            uninterrupted = learner.checkpointState();
        }
        DirectoryCheckpointStore store = new DirectoryCheckpointStore(dir);

        // restarted from the checkpoint written right after the cut
        try (StreamLearner first = fresh(new MemoryOutput(), clock)) {
            feed(first, 0, 40);
            first.cutBatch();
            store.write("clpipe.train", 0, "s", first.checkpointState());
        }
        assertResumesTo(store, clock, uninterrupted, true);

        // killed before the cut's checkpoint: the restart re-forms the batch from its own cut at 40
        try (StreamLearner first = fresh(new MemoryOutput(), clock)) {
            store.write("clpipe.train", 0, "s", first.checkpointState()); // the checkpoint of a new stream
            feed(first, 0, 40);
            first.cutBatch(); // trained, never checkpointed: lost with the process
        }
        LearnerState beforeCut = store.readPartition("clpipe.train", 0).get(0);
        MemoryOutput out = new MemoryOutput();
        try (StreamLearner resumed = StreamLearner.restore(context(out, clock), beforeCut)) {
            feed(resumed, 0, 40);
            resumed.cutBatch();
            resumed.publishOwedSnapshot();
            feed(resumed, 0, 200);
            assertThat(Arrays.equals(resumed.checkpointState().parameters(), uninterrupted.parameters())).isTrue();
        }
        assertThat(out.versions()).isEqualTo(reference.versions().subList(1, reference.versions().size()));

        // without the cut the batches differ, and so do the weights: the cut is part of the history
        try (StreamLearner uncut = fresh(new MemoryOutput(), clock)) {
            feed(uncut, 0, 200);
            assertThat(Arrays.equals(uncut.checkpointState().parameters(), uninterrupted.parameters())).isFalse();
        }
    }

    private static void assertResumesTo(DirectoryCheckpointStore store, Clock clock, LearnerState expected, boolean cut) {
        LearnerState saved = store.readPartition("clpipe.train", 0).get(0);
        assertThat(saved.callerData()).containsEntry("linger.cuts", cut ? "1" : "0");
        try (StreamLearner resumed = StreamLearner.restore(context(new MemoryOutput(), clock), saved)) {
            feed(resumed, 0, 200); // from the start: what was trained is ignored
            LearnerState end = resumed.checkpointState();
            assertThat(end.iteration()).isEqualTo(expected.iteration());
            assertThat(Arrays.equals(end.parameters(), expected.parameters())).isTrue();
            assertThat(end.replay()).usingRecursiveComparison().isEqualTo(expected.replay());
        }
    }
}
