package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The bounded queue between the read-ahead thread and the loop: bounds, order, dropping a partition, closing. */
class ReadAheadBufferTest {

    private static final TopicPartition P0 = new TopicPartition("train", 0);
    private static final TopicPartition P1 = new TopicPartition("train", 1);
    private static final Duration LONG = Duration.ofSeconds(60);

    private static ReadAheadChunk chunk(TopicPartition tp, long epoch, long firstOffset, int records, int bytesEach) {
        List<TrainRecord> out = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            out.add(new TrainRecord(tp, firstOffset + i, "s", new byte[bytesEach], null, null, bytesEach));
        }
        return new ReadAheadChunk(tp, epoch, out, (long) records * bytesEach);
    }

    /** Polls until {@code thread} waits (in put, the only place it can), within a generous limit. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("the putting thread blocks").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    /** Starts a put on another thread and returns once that thread waits in it (still not done). */
    private static CompletableFuture<Boolean> putBlocked(ReadAheadBuffer buffer, ReadAheadChunk chunk) throws InterruptedException {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        Thread putter = new Thread(() -> {
            try {
                done.complete(buffer.put(chunk));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        putter.start();
        awaitWaiting(putter);
        assertThat(done).as("a put into a full buffer waits").isNotDone();
        return done;
    }

    @Test
    void aPutBeyondTheRecordBoundWaitsUntilTheLoopTakesAndChunksComeOutInOrder() throws Exception {
        ReadAheadBuffer buffer = new ReadAheadBuffer(10, 1 << 20);
        assertThat(buffer.put(chunk(P0, 1, 0, 6, 10))).isTrue();
        CompletableFuture<Boolean> blocked = putBlocked(buffer, chunk(P0, 1, 6, 6, 10));
        assertThat(blocked).isNotDone();
        assertThat(buffer.records()).isEqualTo(6);

        ReadAheadChunk first = buffer.take(LONG);
        assertThat(blocked.get(60, TimeUnit.SECONDS)).isTrue();
        ReadAheadChunk second = buffer.take(LONG);
        assertThat(first.records()).extracting(TrainRecord::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(second.records()).extracting(TrainRecord::offset).containsExactly(6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(buffer.records()).isZero();
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void theByteBoundHoldsTooAndAChunkLargerThanTheBoundsStillEntersAnEmptyBuffer() throws Exception {
        ReadAheadBuffer buffer = new ReadAheadBuffer(1000, 100);
        assertThat(buffer.put(chunk(P0, 1, 0, 3, 100))).isTrue(); // 300 bytes > 100: admitted, the buffer was empty
        assertThat(buffer.bytes()).isEqualTo(300);
        CompletableFuture<Boolean> blocked = putBlocked(buffer, chunk(P0, 1, 3, 1, 1));
        assertThat(buffer.records()).isEqualTo(3);
        buffer.take(LONG);
        assertThat(blocked.get(60, TimeUnit.SECONDS)).isTrue();
        assertThat(buffer.records()).isEqualTo(1);
    }

    @Test
    void removingARevokedPartitionsChunksFreesRoomAndKeepsTheOthersInOrder() throws Exception {
        ReadAheadBuffer buffer = new ReadAheadBuffer(100, 1 << 20);
        buffer.put(chunk(P0, 1, 0, 5, 10));
        buffer.put(chunk(P1, 2, 0, 5, 10));
        buffer.put(chunk(P0, 1, 5, 5, 10));
        buffer.put(chunk(P1, 2, 5, 5, 10));

        assertThat(buffer.removeIf(c -> c.partition().equals(P1))).isEqualTo(10);

        assertThat(buffer.records()).isEqualTo(10);
        assertThat(buffer.bytes()).isEqualTo(100);
        assertThat(buffer.take(LONG).records()).extracting(TrainRecord::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(buffer.take(LONG).records()).extracting(TrainRecord::offset).containsExactly(5L, 6L, 7L, 8L, 9L);
        assertThat(buffer.take(Duration.ofMillis(1))).isNull();
    }

    @Test
    void closingWakesABlockedPutWhichThenDropsItsChunk() throws Exception {
        ReadAheadBuffer buffer = new ReadAheadBuffer(1, 1 << 20);
        buffer.put(chunk(P0, 1, 0, 1, 10));
        CompletableFuture<Boolean> blocked = putBlocked(buffer, chunk(P0, 1, 1, 1, 10));

        buffer.close();

        assertThat(blocked.get(60, TimeUnit.SECONDS)).isFalse();
        assertThat(buffer.take(LONG).records()).extracting(TrainRecord::offset).containsExactly(0L);
        assertThat(buffer.take(LONG)).as("closed and drained: no wait").isNull();
    }
}
