package io.clpipe.learner.service;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * Records of one partition read ahead in one poll, in offset order, tagged with the assignment epoch
 * they were read under: the loop trains them only if the partition is still assigned under that epoch.
 *
 * @param bytes encoded size of the records, counted against the read-ahead's memory bound
 * @param seq   the chunk's number among the partition's chunks of this epoch (1, 2, …; 0: unnumbered)
 */
record ReadAheadChunk(TopicPartition partition, long epoch, List<TrainRecord> records, long bytes, long seq) {

    ReadAheadChunk {
        records = List.copyOf(records);
    }

    ReadAheadChunk(TopicPartition partition, long epoch, List<TrainRecord> records, long bytes) {
        this(partition, epoch, records, bytes, 0);
    }
}
