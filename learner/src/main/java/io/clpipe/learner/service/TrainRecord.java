package io.clpipe.learner.service;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.avro.Sample;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A record of the training topic as the loop trains on it: either still encoded ({@code value}, read
 * by the loop itself and decoded only if its stream needs it) or decoded ahead by the read-ahead
 * thread ({@code decoded}, or the {@code decodeFailure} the decoder threw).
 *
 * @param bytes size of the encoded value, what the read-ahead counts against its memory bound
 */
record TrainRecord(TopicPartition partition, long offset, String key, byte[] value, Sample decoded,
                   RuntimeException decodeFailure, int bytes) {

    /** A record the loop decodes itself, when (and if) it needs the sample. */
    static TrainRecord encoded(ConsumerRecord<String, byte[]> r) {
        return new TrainRecord(new TopicPartition(r.topic(), r.partition()), r.offset(), r.key(), r.value(), null, null,
                size(r.value()));
    }

    /** A record decoded now with {@code serde} (a record without a key is not decoded: it is not trained on). */
    static TrainRecord decoded(TopicPartition partition, ConsumerRecord<String, byte[]> r, AvroSerde<Sample> serde) {
        if (r.key() == null || r.value() == null) {
            return new TrainRecord(partition, r.offset(), r.key(), r.value(), null, null, size(r.value()));
        }
        try {
            return new TrainRecord(partition, r.offset(), r.key(), null, serde.deserialize(r.value()), null, size(r.value()));
        } catch (RuntimeException e) {
            return new TrainRecord(partition, r.offset(), r.key(), null, null, e, size(r.value()));
        }
    }

    /**
     * The sample, decoding it now if it was not decoded ahead.
     *
     * @throws RuntimeException what the decoder threw (now or on the read-ahead thread): the record is undecodable
     */
    Sample sample(AvroSerde<Sample> serde) {
        if (decodeFailure != null) {
            throw decodeFailure;
        }
        return decoded != null ? decoded : serde.deserialize(value);
    }

    String topic() {
        return partition.topic();
    }

    private static int size(byte[] value) {
        return value == null ? 0 : value.length;
    }
}
