package io.clpipe.learner.service;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.avro.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Decodes the training records of one poll on a second thread while the loop trains the previous
 * poll's: Avro-decoding a 784-float record costs about as much as training on it (bench pipeline),
 * so the two overlap on two cores. Only decoding moves; the consumer, the learners and all their
 * state stay on the loop's thread.
 */
final class DecodeAhead implements AutoCloseable {

    /** A record with its decoded value, or the reason it could not be decoded. */
    record Decoded(ConsumerRecord<String, byte[]> record, Sample sample, RuntimeException error) {
    }

    /**
     * The records of one poll, being decoded.
     *
     * @param owners the per-partition stream maps the loop held when it polled them: a partition whose
     *               map has since been replaced or dropped was revoked (and maybe re-assigned and sought
     *               back to its checkpoint), so these records of it must not be trained
     */
    record Batch(Map<TopicPartition, Map<String, StreamLearner>> owners, Future<List<Decoded>> decoded) {

        List<Decoded> await() {
            try {
                return decoded.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while decoding training records", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("decoding training records failed: " + e.getCause(), e.getCause());
            }
        }

        /** Whether {@code current}, the partition's stream map now, is the one these records were polled under. */
        boolean polledUnder(TopicPartition tp, Map<String, StreamLearner> current) {
            return current != null && current == owners.get(tp);
        }
    }

    /** Thread-safe, but each thread's reads are cheaper with its own resolver cache: the decode thread's. */
    private final AvroSerde<Sample> samples = AvroSerde.sample();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clpipe-learner-decode");
        t.setDaemon(true);
        return t;
    });

    /** Starts decoding {@code records}; {@code owners} is copied. */
    Batch submit(ConsumerRecords<String, byte[]> records, Map<TopicPartition, Map<String, StreamLearner>> owners) {
        List<ConsumerRecord<String, byte[]>> list = new ArrayList<>(records.count());
        records.forEach(list::add);
        return new Batch(Map.copyOf(owners), executor.submit(() -> decode(list)));
    }

    private List<Decoded> decode(List<ConsumerRecord<String, byte[]>> records) {
        List<Decoded> out = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                out.add(new Decoded(r, samples.deserialize(r.value()), null));
            } catch (RuntimeException e) {
                out.add(new Decoded(r, null, e));
            }
        }
        return out;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
