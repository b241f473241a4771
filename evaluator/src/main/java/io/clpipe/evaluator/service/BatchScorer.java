package io.clpipe.evaluator.service;

import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Turns one poll of the models topic into what one transaction publishes: {@link SnapshotBatchScorer}
 * scores in this evaluator, {@link SpreadBatchScorer} has scorer instances score the versions in parallel.
 */
interface BatchScorer extends AutoCloseable {

    SnapshotBatchScorer.Scored score(ConsumerRecords<String, byte[]> records);

    /** Counts for the shutdown summary. */
    String summary();

    @Override
    default void close() {
    }
}
