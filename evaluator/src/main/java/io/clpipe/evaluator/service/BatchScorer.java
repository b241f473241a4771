package io.clpipe.evaluator.service;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns one poll of the models topic into what one transaction publishes: {@link SnapshotBatchScorer}
 * scores in this evaluator, {@link SpreadBatchScorer} has scorer instances score the versions in parallel.
 */
interface BatchScorer extends AutoCloseable {

    /**
     * @param ends each polled partition's end offset as the consumer last saw it, for thinning's backlog (a
     *             scorer that does not thin ignores it)
     */
    SnapshotBatchScorer.Scored score(ConsumerRecords<String, byte[]> records, Map<TopicPartition, Long> ends);

    default SnapshotBatchScorer.Scored score(ConsumerRecords<String, byte[]> records) {
        return score(records, Map.of());
    }

    /** Counts for the shutdown summary. */
    String summary();

    @Override
    default void close() {
    }
}
