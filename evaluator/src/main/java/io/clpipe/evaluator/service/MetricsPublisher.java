package io.clpipe.evaluator.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one batch of metrics records together with the consumed models-topic offsets in one
 * Kafka transaction. A retriable failure aborts and resends the same records: the metrics engines
 * already hold them, so they must be published exactly as computed. A fatal failure (fenced by a
 * newer evaluator, authorization, …) or too many attempts throws, stopping the service; a restart
 * then recovers exactly from the last committed transaction.
 */
final class MetricsPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsPublisher.class);
    private static final int MAX_ATTEMPTS = 8;

    private final Producer<String, byte[]> producer;
    private final String transactionalId;
    private final EvaluatorMeters meters;
    private long aborts;

    MetricsPublisher(Producer<String, byte[]> producer, String transactionalId, EvaluatorMeters meters) {
        this.producer = producer;
        this.transactionalId = transactionalId;
        this.meters = meters;
    }

    /** Fences an older evaluator with the same transactional id and aborts its open transaction. */
    void initTransactions() {
        producer.initTransactions();
    }

    /**
     * @return partition → offset just after the last record published there, for the partitions written
     * @throws IllegalStateException when the producer cannot continue
     */
    Map<Integer, Long> publish(List<ProducerRecord<String, byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets,
                               ConsumerGroupMetadata group) {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.beginTransaction();
                List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
                for (ProducerRecord<String, byte[]> record : records) {
                    sent.add(producer.send(record));
                }
                producer.sendOffsetsToTransaction(offsets, group);
                producer.commitTransaction();
                return positions(sent);
            } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                     | AuthorizationException | UnsupportedVersionException e) {
                throw new IllegalStateException("metrics producer cannot continue (" + e + "); another evaluator with "
                        + "transactional id " + transactionalId + " may have taken over", e);
            } catch (KafkaException e) {
                if (e.getCause() instanceof AuthorizationException || e.getCause() instanceof AuthenticationException) {
                    // e.g. no WRITE on the metrics topic: the transaction fails with it as the cause; retrying cannot help.
                    throw new IllegalStateException("metrics transaction refused by Kafka: " + e.getCause(), e.getCause());
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException("metrics transaction failed " + attempt + " times; stopping", e);
                }
                abort(e, attempt);
            }
        }
    }

    long aborts() {
        return aborts;
    }

    private void abort(KafkaException cause, int attempt) {
        aborts++;
        meters.transactionAborted();
        log.warn("Metrics transaction aborted (attempt {} of {}): {}; retrying", attempt, MAX_ATTEMPTS, cause.toString());
        producer.abortTransaction();
        try {
            Thread.sleep(Math.min(5_000L, 100L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a metrics transaction", e);
        }
    }

    private static Map<Integer, Long> positions(List<Future<RecordMetadata>> sent) {
        Map<Integer, Long> out = new TreeMap<>();
        for (Future<RecordMetadata> f : sent) {
            RecordMetadata md;
            try {
                md = f.get();
            } catch (InterruptedException | ExecutionException e) {
                // Not after a successful commit; should it happen, a restart replays the metrics topic.
                throw new IllegalStateException("committed metrics record has no metadata", e);
            }
            out.merge(md.partition(), md.offset() + 1, Math::max);
        }
        return out;
    }

    @Override
    public void close() {
        producer.close();
    }
}
