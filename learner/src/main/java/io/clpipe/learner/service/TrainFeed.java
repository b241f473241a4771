package io.clpipe.learner.service;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the training loop gets its records: straight from the group consumer ({@link DirectFeed}) or
 * from a read-ahead thread ({@link ReadAheadFeed}). Either way the group consumer stays on the loop
 * thread (membership, rebalance callbacks, commits); every method is called on the loop thread.
 */
interface TrainFeed extends AutoCloseable {

    /**
     * Records that arrived, in offset order within a partition, waiting up to {@code timeout}; polls the
     * group consumer, so rebalance callbacks run in here.
     */
    List<TrainRecord> poll(Duration timeout);

    /**
     * Whether every record of {@code partition} that the broker held when last asked has reached the
     * loop (the partition is read to its end); false when unknown. A linger cut needs it, so that a
     * partial batch is never trained while records that could complete it are already fetched.
     */
    boolean caughtUp(TopicPartition partition);

    /** The loop owns {@code partition} now and reads it from {@code from} (empty: from the beginning). */
    void assigned(TopicPartition partition, OptionalLong from);

    /** The loop no longer owns {@code partition}: nothing more of it may reach the loop. */
    void revoked(TopicPartition partition);

    @Override
    void close();
}
