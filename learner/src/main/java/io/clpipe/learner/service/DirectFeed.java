package io.clpipe.learner.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Training records polled by the group consumer itself, on the loop thread ({@code train.read.ahead.records=0}):
 * fetching, parsing and decoding take turns with the training steps.
 */
final class DirectFeed implements TrainFeed {

    private final Consumer<String, byte[]> consumer;

    DirectFeed(Consumer<String, byte[]> consumer) {
        this.consumer = consumer;
    }

    @Override
    public List<TrainRecord> poll(Duration timeout) {
        ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
        List<TrainRecord> out = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
            out.add(TrainRecord.encoded(r));
        }
        return out;
    }

    @Override
    public boolean caughtUp(TopicPartition partition) {
        OptionalLong lag = consumer.currentLag(partition);
        return lag.isPresent() && lag.getAsLong() == 0;
    }

    @Override
    public void assigned(TopicPartition partition, OptionalLong from) {
        seek(consumer, partition, from);
    }

    /** Moves {@code consumer}'s position in {@code partition} to {@code from} (empty: the beginning). */
    static void seek(Consumer<String, byte[]> consumer, TopicPartition partition, OptionalLong from) {
        if (from.isPresent()) {
            consumer.seek(partition, from.getAsLong());
        } else {
            consumer.seekToBeginning(List.of(partition));
        }
    }

    @Override
    public void revoked(TopicPartition partition) {
        // the consumer forgets a revoked partition's fetched records itself
    }

    @Override
    public void close() {
        // the group consumer is the service's to close
    }
}
