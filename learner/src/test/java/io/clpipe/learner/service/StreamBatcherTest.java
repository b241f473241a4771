package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamBatcherTest {

    /** Records what the batcher asks for, as text: "step [..]" and "boundary a->b". */
    private static final class Recorder implements StreamBatcher.Sink<String> {
        final List<String> events = new ArrayList<>();
        StreamBatcher<String> batcher;
        final List<StreamPosition> positionsAfterSteps = new ArrayList<>();

        @Override
        public void step(List<String> batch) {
            events.add("step " + batch);
            positionsAfterSteps.add(batcher.trainedPosition());
        }

        @Override
        public void boundary(String previous, String task) {
            events.add("boundary " + previous + "->" + task);
        }
    }

    private static Recorder recorder(StreamBatcher<String> batcher) {
        Recorder r = new Recorder();
        r.batcher = batcher;
        return r;
    }

    /** Units of record {@code offset}: "offset.unit". */
    private static List<String> units(long offset, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(offset + "." + i);
        }
        return out;
    }

    @Test
    void fullBatchesInOffsetOrderAndThePositionIsTheFirstUntrainedUnit() {
        StreamBatcher<String> b = new StreamBatcher<>(3, StreamPosition.at(10), false, null);
        Recorder r = recorder(b);
        for (long o = 10; o < 17; o++) {
            b.offer(o, "a", units(o, 1), r);
        }
        assertThat(r.events).containsExactly("step [10.0, 11.0, 12.0]", "step [13.0, 14.0, 15.0]");
        assertThat(r.positionsAfterSteps).containsExactly(StreamPosition.at(13), StreamPosition.at(16));
        assertThat(b.pendingCount()).isEqualTo(1);
        assertThat(b.trainedPosition()).isEqualTo(StreamPosition.at(16));
    }

    @Test
    void theFirstTaskIsNoBoundaryAndATaskChangeTrainsThePartialBatchFirst() {
        StreamBatcher<String> b = new StreamBatcher<>(3, StreamPosition.at(0), false, null);
        Recorder r = recorder(b);
        b.offer(0, "a", units(0, 1), r);
        b.offer(1, "a", units(1, 1), r);
        b.offer(2, "b", units(2, 1), r);
        b.offer(3, "b", units(3, 1), r);
        b.offer(4, null, units(4, 1), r);
        assertThat(r.events).containsExactly("step [0.0, 1.0]", "boundary a->b", "step [2.0, 3.0]", "boundary b->null");
        assertThat(b.task()).isNull();
        assertThat(b.trainedPosition()).isEqualTo(StreamPosition.at(4));
    }

    @Test
    void aBoundaryWithNothingPendingTrainsNothingExtra() {
        StreamBatcher<String> b = new StreamBatcher<>(2, StreamPosition.at(0), false, null);
        Recorder r = recorder(b);
        b.offer(0, "a", units(0, 1), r);
        b.offer(1, "a", units(1, 1), r);
        b.offer(2, "b", units(2, 1), r);
        assertThat(r.events).containsExactly("step [0.0, 1.0]", "boundary a->b");
    }

    @Test
    void recordsBeforeTheResumePositionAndUnitsBeforeItsUnitAreIgnored() {
        StreamBatcher<String> b = new StreamBatcher<>(2, new StreamPosition(5, 3), true, "a");
        Recorder r = recorder(b);
        assertThat(b.isNew(4)).isFalse();
        assertThat(b.isNew(5)).isTrue();
        b.offer(4, "a", units(4, 5), r);
        b.offer(5, "a", units(5, 5), r);
        assertThat(r.events).containsExactly("step [5.3, 5.4]");
        b.offer(5, "a", units(5, 5), r); // delivered again: already batched
        assertThat(r.events).hasSize(1);
        assertThat(b.trainedPosition()).isEqualTo(StreamPosition.at(6));
    }

    @Test
    void aResumeInsideARecordKeepsItsTaskWithoutABoundary() {
        StreamBatcher<String> b = new StreamBatcher<>(4, new StreamPosition(7, 2), true, "a");
        Recorder r = recorder(b);
        b.offer(7, "a", units(7, 4), r);
        assertThat(r.events).isEmpty();
        assertThat(b.trainedPosition()).isEqualTo(new StreamPosition(7, 2));
        b.offer(9, "a", units(9, 2), r);
        assertThat(r.events).containsExactly("step [7.2, 7.3, 9.0, 9.1]");
    }

    @Test
    void aMultiUnitRecordMakesSeveralStepsAndCheckpointsMayFallInsideIt() {
        StreamBatcher<String> b = new StreamBatcher<>(3, StreamPosition.at(0), false, null);
        Recorder r = recorder(b);
        b.offer(0, "t", units(0, 7), r);
        assertThat(r.events).containsExactly("step [0.0, 0.1, 0.2]", "step [0.3, 0.4, 0.5]");
        assertThat(r.positionsAfterSteps).containsExactly(new StreamPosition(0, 3), new StreamPosition(0, 6));
    }

    @Test
    void skippedRecordsAdvanceThePositionOnlyPastWhatIsTrained() {
        StreamBatcher<String> b = new StreamBatcher<>(2, StreamPosition.at(0), false, null);
        Recorder r = recorder(b);
        b.skip(0);
        assertThat(b.trainedPosition()).isEqualTo(StreamPosition.at(1));
        b.offer(1, "a", units(1, 1), r);
        b.skip(2);
        assertThat(b.trainedPosition()).isEqualTo(StreamPosition.at(1));
        b.offer(3, "a", units(3, 1), r);
        assertThat(r.events).containsExactly("step [1.0, 3.0]");
        assertThat(b.trainedPosition()).isEqualTo(StreamPosition.at(4));
    }

    /**
     * The recovery property on random streams: a batcher rebuilt from any checkpointable moment
     * (position, started, task) and fed every record again from the start asks for exactly the
     * steps and boundaries the original asked for after that moment.
     */
    @Test
    void resumingFromAnyMomentReplaysExactlyTheRestOfTheRun() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int newPerStep = 1 + random.nextInt(5);
            List<long[]> records = new ArrayList<>(); // offset, units, task index (-1 = null)
            long offset = random.nextInt(3);
            int task = 0;
            for (int i = 0; i < 30; i++) {
                offset += 1 + random.nextInt(3); // other streams' records in between
                if (random.nextInt(6) == 0) {
                    task = random.nextInt(4) - 1;
                }
                records.add(new long[] {offset, 1 + random.nextInt(random.nextBoolean() ? 1 : 6), task});
            }
            Recorder original = recorder(new StreamBatcher<>(newPerStep, StreamPosition.at(records.get(0)[0]), false, null));
            List<StreamBatcher<String>> moments = new ArrayList<>();
            List<Integer> eventsAtMoment = new ArrayList<>();
            for (long[] rec : records) {
                original.batcher.offer(rec[0], taskName(rec[2]), units(rec[0], (int) rec[1]), original);
                moments.add(new StreamBatcher<>(newPerStep, original.batcher.trainedPosition(), original.batcher.started(),
                        original.batcher.task()));
                eventsAtMoment.add(original.events.size());
            }
            int m = random.nextInt(moments.size());
            Recorder resumed = recorder(moments.get(m));
            for (long[] rec : records) {
                resumed.batcher.offer(rec[0], taskName(rec[2]), units(rec[0], (int) rec[1]), resumed);
            }
            assertThat(resumed.events).as("trial %d resumed after record %d", trial, m)
                    .isEqualTo(original.events.subList(eventsAtMoment.get(m), original.events.size()));
            assertThat(resumed.batcher.trainedPosition()).isEqualTo(original.batcher.trainedPosition());
        }
    }

    private static String taskName(long index) {
        return index < 0 ? null : "t" + index;
    }
}
