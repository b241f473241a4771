package io.clpipe.learner.service;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.avro.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-ahead thread: a consumer without a group, assigned exactly the partitions the training loop
 * owns, at the positions the loop decides, polls and decodes ahead of training into a bounded
 * {@link ReadAheadBuffer}. Each chunk carries the epoch of the assignment it was read under, so records
 * read before a revoke (or before a re-assignment moved the position) are never trained.
 *
 * <p>Only this thread touches its consumer; the loop talks to it through a command queue (and
 * {@code wakeup()}, the one consumer call allowed from another thread). A failure (authorisation,
 * offsets out of range with no reset policy…) stops the thread and is rethrown on the loop by
 * {@link #throwIfFailed()}.
 */
final class TrainReadAhead implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrainReadAhead.class);

    /** What the loop asks of the reader. */
    private sealed interface Command permits Start, Stop {
    }

    /** Read {@code partition} from {@code from} (empty: its beginning), tagging chunks with {@code epoch}. */
    private record Start(TopicPartition partition, long epoch, OptionalLong from) implements Command {
    }

    /** Stop reading {@code partition}. */
    private record Stop(TopicPartition partition) implements Command {
    }

    private final Consumer<String, byte[]> consumer;
    private final ReadAheadBuffer buffer;
    private final Duration pollTimeout;
    private final LinkedBlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Reader thread only: the epoch of each partition being read. */
    private final Map<TopicPartition, Long> epochs = new HashMap<>();
    /** Reader thread only: one decoder (building one scans the class path). */
    private final AvroSerde<Sample> samples = AvroSerde.sample();
    /** Reader thread only: the number of the last chunk read of each partition under its epoch. */
    private final Map<TopicPartition, Long> seqs = new HashMap<>();
    /** What the loop may know of how far the reader has read (written by the reader, read by the loop). */
    private final Map<TopicPartition, Fetched> fetched = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closing;

    /**
     * How far the reader has read a partition under an epoch: the number of its last chunk (set before
     * the chunk is queued) and the records left on the broker after its position, as its consumer
     * knew after the last poll (−1: unknown, or a chunk is on its way to the queue).
     */
    record Fetched(long epoch, long seq, long lag) {
    }

    /**
     * Starts the thread. {@code consumer} must have no group and must not be used by anyone else; the
     * reader closes it when it stops.
     */
    TrainReadAhead(Consumer<String, byte[]> consumer, ReadAheadBuffer buffer, Duration pollTimeout, String threadName) {
        this.consumer = consumer;
        this.buffer = buffer;
        this.pollTimeout = pollTimeout;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts reading {@code partition} at {@code from} (empty: its beginning); its chunks carry {@code epoch}. */
    void start(TopicPartition partition, long epoch, OptionalLong from) {
        command(new Start(partition, epoch, from));
    }

    /** Stops reading {@code partition}; chunks already read stay tagged with its old epoch. */
    void stop(TopicPartition partition) {
        command(new Stop(partition));
    }

    /** How far the reader has read {@code partition} (any thread); null before its first records. */
    Fetched fetched(TopicPartition partition) {
        return fetched.get(partition);
    }

    /** Rethrows, on the caller's thread, what stopped the reader. */
    void throwIfFailed() {
        Throwable t = failure.get();
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("the read-ahead of the training topic failed: " + t, t);
    }

    /** Whether the reader thread is still alive. */
    boolean isRunning() {
        return thread.isAlive();
    }

    /** What stopped the reader, if anything did. */
    Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    private void command(Command c) {
        commands.add(c);
        wakeUp();
    }

    /** Interrupts the reader's poll (harmless if it is not polling, or has stopped). */
    private void wakeUp() {
        try {
            consumer.wakeup();
        } catch (RuntimeException e) {
            log.debug("Read-ahead consumer wakeup: {}", e.toString());
        }
    }

    private void run() {
        try {
            while (!closing) {
                applyCommands();
                if (epochs.isEmpty()) {
                    Command next = commands.poll(pollTimeout.toNanos(), TimeUnit.NANOSECONDS);
                    if (next != null) {
                        apply(next);
                    }
                    continue;
                }
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(pollTimeout);
                } catch (WakeupException e) {
                    continue; // a command (or close) is waiting
                }
                if (!hand(records)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            if (!closing) {
                failure.set(new IllegalStateException("the read-ahead thread of the training topic was interrupted"));
            }
        } catch (Throwable t) {
            if (!closing) {
                failure.set(t);
                log.error("Read-ahead of the training topic stopped: {}", t.toString());
            }
        } finally {
            buffer.close();
            closeConsumer();
        }
    }

    /** Decodes and queues each partition's records; false once the buffer is closed. */
    private boolean hand(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        for (TopicPartition tp : records.partitions()) {
            Long epoch = epochs.get(tp);
            if (epoch == null) {
                continue; // stopped since the fetch was sent: the consumer dropped it already, or will
            }
            List<ConsumerRecord<String, byte[]>> polled = records.records(tp);
            List<TrainRecord> decoded = new ArrayList<>(polled.size());
            long bytes = 0;
            for (ConsumerRecord<String, byte[]> r : polled) {
                TrainRecord t = TrainRecord.decoded(tp, r, samples);
                bytes += t.bytes();
                decoded.add(t);
            }
            long seq = seqs.merge(tp, 1L, Long::sum);
            fetched.put(tp, new Fetched(epoch, seq, -1)); // before the chunk can be taken: never "caught up" on stale news
            if (!buffer.put(new ReadAheadChunk(tp, epoch, decoded, bytes, seq))) {
                return false;
            }
        }
        // after every poll, records or not: a transaction marker moves the position without any record
        epochs.forEach((tp, epoch) -> {
            OptionalLong lag = consumer.currentLag(tp);
            fetched.put(tp, new Fetched(epoch, seqs.getOrDefault(tp, 0L), lag.isPresent() ? lag.getAsLong() : -1));
        });
        return true;
    }

    private void applyCommands() {
        for (Command c = commands.poll(); c != null; c = commands.poll()) {
            apply(c);
        }
    }

    private void apply(Command c) {
        if (c instanceof Start s) {
            epochs.put(s.partition(), s.epoch());
            seqs.put(s.partition(), 0L);
            fetched.put(s.partition(), new Fetched(s.epoch(), 0, -1));
            consumer.assign(List.copyOf(epochs.keySet()));
            DirectFeed.seek(consumer, s.partition(), s.from());
        } else if (c instanceof Stop s && epochs.remove(s.partition()) != null) {
            consumer.assign(List.copyOf(epochs.keySet()));
        }
    }

    private void closeConsumer() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("Closing the read-ahead consumer failed: {}", e.toString());
        }
    }

    /** Stops the thread (it drops what it was reading) and closes its consumer; waits for both. */
    @Override
    public void close() {
        closing = true;
        buffer.close();
        wakeUp();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while waiting for the read-ahead thread to stop");
        }
    }
}
