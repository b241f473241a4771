package io.clpipe.learner.engine.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.learner.engine.BatchMixer;
import io.clpipe.learner.engine.ContinualLearner;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.engine.StepResult;
import io.clpipe.learner.engine.TestModels;
import io.clpipe.learner.engine.Xoshiro256;
import io.clpipe.models.Batch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link ReplayPolicy#PAST}: a batch never replays a sample of a task among its new samples, takes
 * all the replay it asked for whenever other tasks' samples are stored, and, through the learner,
 * keeps every batch at B samples.
 */
class PastReplayPropertyTest {

    /** A run of {@code length} consecutive samples of {@code task}; tasks may recur. */
    record Segment(int task, int length) {
    }

    @Provide
    Arbitrary<List<Segment>> streams() {
        Arbitrary<Segment> segment = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(1, 150)).as(Segment::new);
        return segment.list().ofMinSize(1).ofMaxSize(8);
    }

    /** Feature 0 is the sample's task, feature 1 its position in the stream. */
    private static List<Sample> flatten(List<Segment> segments) {
        List<Sample> out = new ArrayList<>();
        for (Segment s : segments) {
            for (int i = 0; i < s.length(); i++) {
                float[] x = new float[TestModels.DIM];
                x[0] = s.task();
                x[1] = out.size();
                out.add(Sample.dense(x, s.task() % TestModels.CLASSES, s.task()));
            }
        }
        return out;
    }

    @Property(tries = 300)
    void aBatchNeverReplaysItsOwnTasks(@ForAll("streams") List<Segment> segments, @ForAll @IntRange(min = 1, max = 200) int capacity,
                                        @ForAll @IntRange(min = 1, max = 24) int newPerBatch,
                                        @ForAll @IntRange(min = 1, max = 24) int replay, @ForAll long seed) {
        List<Sample> stream = flatten(segments);
        ReplayBuffer buffer = new ReplayConfig(ReplayPolicy.PAST, capacity, 0.5, null).createBuffer();
        BatchMixer mixer = new BatchMixer(TestModels.DIM, newPerBatch + replay, capacity, null);
        Xoshiro256 rng = new Xoshiro256(seed);
        for (int from = 0; from < stream.size(); from += newPerBatch) {
            List<Sample> fresh = stream.subList(from, Math.min(stream.size(), from + newPerBatch));
            Set<Integer> freshTasks = new HashSet<>();
            fresh.forEach(s -> freshTasks.add(s.task()));
            long storedElsewhere = buffer.state().groups().stream().filter(g -> !freshTasks.contains(g.key()))
                    .mapToLong(g -> g.samples().size()).sum();

            BatchMixer.Mixed mixed = mixer.mix(fresh, buffer, replay, rng);

            assertThat(mixed.replayed()).as("replay taken when other tasks are stored").isEqualTo((int) Math.min(replay, storedElsewhere));
            Batch b = mixed.batch();
            Set<Integer> positions = new HashSet<>();
            for (int r = mixed.fresh(); r < b.size(); r++) {
                int task = (int) b.features()[r * TestModels.DIM];
                int position = (int) b.features()[r * TestModels.DIM + 1];
                assertThat(freshTasks).as("replayed sample %d's task", position).doesNotContain(task);
                assertThat(position).as("replayed from the past of the stream").isLessThan(from);
                assertThat(positions.add(position)).as("replayed once per batch").isTrue();
            }
            fresh.forEach(s -> buffer.add(s, rng));
        }
    }

    @Property(tries = 40)
    void theLearnerKeepsEveryBatchAtBAndReplaysOnlyPastTasks(@ForAll("streams") List<Segment> segments,
                                                             @ForAll @IntRange(min = 2, max = 32) int batch,
                                                             @ForAll @IntRange(min = 1, max = 90) int percent) {
        double fraction = percent / 100.0;
        ReplayConfig replay = ReplayConfig.of(ReplayPolicy.PAST, 64, fraction);
        if (batch - replay.replayPerBatch(batch) <= 0) {
            return;
        }
        LearnerConfig config = LearnerConfig.defaults().withBatchSize(batch).withReplay(replay);
        List<Sample> stream = flatten(segments);
        try (ContinualLearner learner = new ContinualLearner(TestModels.softmaxRegression(1), config)) {
            int from = 0;
            int previousTask = Sample.NO_TASK;
            while (from < stream.size()) {
                int task = stream.get(from).task();
                if (task != previousTask) {
                    // what the service does: a change of task is announced before its first batch
                    learner.onBoundary(task);
                    previousTask = task;
                }
                int want = learner.freshPerStep();
                int to = from;
                while (to < stream.size() && to - from < want && stream.get(to).task() == task) {
                    to++;
                }
                boolean pastStored = learner.replayState().groups().stream().anyMatch(g -> g.key() != task && !g.samples().isEmpty());
                StepResult r = learner.step(stream.subList(from, to));
                assertThat(r.fresh() + r.replayed()).as("a full batch holds B samples").isLessThanOrEqualTo(batch);
                if (to - from == want) {
                    assertThat(r.fresh() + r.replayed()).as("a full batch holds B samples").isEqualTo(batch);
                }
                if (!pastStored) {
                    assertThat(r.replayed()).as("nothing to replay while only the current task is stored").isZero();
                }
                from = to;
            }
        }
    }
}
