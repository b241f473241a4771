package io.clpipe.evaluator.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CommitFailedException;
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
 * Kafka transaction (exactly-once v2: the offsets carry the consumer group's generation, so an
 * evaluator the group has moved on from cannot commit). A retriable failure aborts and resends the same records: the metrics engines
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

    /** Where one transaction's records landed in one metrics-topic partition. */
    record Written(long first, long last, int count) {
        Written add(long offset) {
            return new Written(Math.min(first, offset), Math.max(last, offset), count + 1);
        }
    }

    /**
     * Publishes the records and commits the offsets, each carrying the {@link LedgerMark} of these
     * records, in one transaction.
     *
     * @return metrics partition → where the records landed there
     * @throws OwnershipLostException when the group has moved on (another evaluator owns some of the
     *                                partitions now): the transaction is aborted, nothing was published
     * @throws IllegalStateException  when the producer cannot continue
     */
    Map<Integer, Written> publish(List<ProducerRecord<String, byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets,
                                  ConsumerGroupMetadata group) {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.beginTransaction();
                List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
                for (ProducerRecord<String, byte[]> record : records) {
                    sent.add(producer.send(record));
                }
                producer.flush();
                Map<Integer, Written> written = written(sent);
                Map<Integer, Long> ends = new TreeMap<>();
                written.forEach((partition, w) -> ends.put(partition, w.last() + 1));
                String mark = new LedgerMark(ends).encode();
                Map<TopicPartition, OffsetAndMetadata> marked = new HashMap<>();
                offsets.forEach((tp, offset) -> marked.put(tp, new OffsetAndMetadata(offset.offset(), mark)));
                producer.sendOffsetsToTransaction(marked, group);
                producer.commitTransaction();
                return written;
            } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                     | AuthorizationException | UnsupportedVersionException e) {
                throw new IllegalStateException("metrics producer cannot continue (" + e + "); another evaluator with "
                        + "transactional id " + transactionalId + " has taken over: give each evaluator instance its own "
                        + "transactional.id", e);
            } catch (KafkaException e) {
                if (e instanceof CommitFailedException || e.getCause() instanceof CommitFailedException) {
                    aborts++;
                    meters.transactionAborted();
                    producer.abortTransaction();
                    throw new OwnershipLostException("the consumer group rebalanced while the batch was evaluated ("
                            + e.getMessage() + "); its metrics were not published", e);
                }
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

    private static Map<Integer, Written> written(List<Future<RecordMetadata>> sent) {
        Map<Integer, Written> out = new TreeMap<>();
        for (Future<RecordMetadata> f : sent) {
            RecordMetadata md;
            try {
                md = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while publishing metrics", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
            }
            out.merge(md.partition(), new Written(md.offset(), md.offset(), 1), (a, b) -> a.add(b.first()));
        }
        return out;
    }

    @Override
    public void close() {
        producer.close();
    }
}
