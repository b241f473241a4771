package io.clpipe.learner.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training records read ahead on a second thread ({@link TrainReadAhead}), so that fetching, record
 * parsing and decoding overlap with the training steps instead of taking turns with them.
 *
 * <p>The group consumer stays on the loop thread for membership, rebalance callbacks and commits, but
 * keeps its partitions paused: it is polled with a zero timeout between chunks. Each assignment of a
 * partition gets a new epoch; a chunk is handed to the loop only if its partition is still assigned
 * under the epoch the chunk was read under, and a revoke drops the partition's queued chunks at once.
 * All learner state stays on the loop thread.
 */
final class ReadAheadFeed implements TrainFeed {

    private static final Logger log = LoggerFactory.getLogger(ReadAheadFeed.class);

    /** Longest wait on the buffer before the group consumer is polled again (rebalances progress in its polls). */
    private static final Duration SLICE = Duration.ofMillis(10);

    private final Consumer<String, byte[]> group;
    private final ReadAheadBuffer buffer;
    private final TrainReadAhead reader;
    private final Map<TopicPartition, Long> epochs = new HashMap<>();
    /** The number of the last chunk handed to the loop per assigned partition (this assignment's epoch only). */
    private final Map<TopicPartition, Long> handed = new HashMap<>();
    private long lastEpoch;

    /**
     * @param group    the group consumer (the caller closes it)
     * @param reader   reads into {@code buffer}; closed with this feed
     */
    ReadAheadFeed(Consumer<String, byte[]> group, ReadAheadBuffer buffer, TrainReadAhead reader) {
        this.group = group;
        this.buffer = buffer;
        this.reader = reader;
    }

    @Override
    public List<TrainRecord> poll(Duration timeout) {
        if (epochs.isEmpty()) { // nothing to read ahead: let the group consumer join or rebalance at full speed
            ignoreStray(group.poll(timeout));
            reader.throwIfFailed();
            return List.of();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ignoreStray(group.poll(Duration.ZERO));
            reader.throwIfFailed();
            long left = deadline - System.nanoTime();
            if (epochs.isEmpty() || left <= 0) {
                return List.of();
            }
            ReadAheadChunk chunk;
            try {
                chunk = buffer.take(Duration.ofNanos(Math.min(left, SLICE.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for training records", e);
            }
            if (chunk != null && current(chunk)) {
                handed.put(chunk.partition(), chunk.seq());
                return chunk.records();
            }
        }
    }

    private boolean current(ReadAheadChunk chunk) {
        Long epoch = epochs.get(chunk.partition());
        return epoch != null && epoch == chunk.epoch();
    }

    /** The group consumer's partitions are paused; should it return records anyway, the reader has them too. */
    private void ignoreStray(ConsumerRecords<String, byte[]> records) {
        if (!records.isEmpty()) {
            log.warn("The paused group consumer returned {} records of {}: ignored (the read-ahead reads them), pausing again",
                    records.count(), records.partitions());
            group.pause(records.partitions());
        }
    }

    /**
     * Caught up when the reader, under this assignment, has handed the loop every chunk it read
     * (none queued, none waiting for room) and its consumer found nothing more on the broker.
     */
    @Override
    public boolean caughtUp(TopicPartition partition) {
        Long epoch = epochs.get(partition);
        TrainReadAhead.Fetched read = reader.fetched(partition);
        return epoch != null && read != null && read.epoch() == epoch && read.lag() == 0
                && read.seq() == handed.getOrDefault(partition, 0L);
    }

    @Override
    public void assigned(TopicPartition partition, OptionalLong from) {
        // positioned as without read-ahead although it never fetches: it then needs no committed offset nor reset policy
        DirectFeed.seek(group, partition, from);
        group.pause(List.of(partition));
        long epoch = ++lastEpoch;
        handed.remove(partition);
        epochs.put(partition, epoch); // chunks of an earlier assignment of the partition, still queued or in the reader's hands, no longer match
        reader.start(partition, epoch, from);
    }

    @Override
    public void revoked(TopicPartition partition) {
        epochs.remove(partition);
        handed.remove(partition);
        reader.stop(partition);
        int dropped = buffer.removeIf(c -> c.partition().equals(partition));
        if (dropped > 0) {
            log.info("Dropped {} records of {} read ahead but not trained (the next owner reads them from its checkpoint)",
                    dropped, partition);
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
