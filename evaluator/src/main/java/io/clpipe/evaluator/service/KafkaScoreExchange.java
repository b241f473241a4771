package io.clpipe.evaluator.service;

import io.clpipe.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator's side of spread scoring on Kafka: requests go to the score-requests topic, placed by
 * (stream, version) so that consecutive versions of one stream land on different partitions and thus
 * on different scorers; replies are read from the scores topic (read_committed, no group, never
 * committed) from where it ended just before the requests were sent, so any reply to them is seen.
 * Requests are written without a transaction: one sent twice (the evaluator restarted before it
 * committed the batch) is scored twice, and the second reply is ignored.
 */
final class KafkaScoreExchange implements ScoreExchange {

    private static final Logger log = LoggerFactory.getLogger(KafkaScoreExchange.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration WARN_EVERY = Duration.ofSeconds(30);

    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> replies;
    private final List<TopicPartition> replyPartitions;
    private final int requestPartitions;
    private long unreadable;

    KafkaScoreExchange(Topics topics, KafkaProducer<String, byte[]> producer, KafkaConsumer<String, byte[]> replies,
                       Duration metadataTimeout) {
        this.topics = topics;
        this.producer = producer;
        this.replies = replies;
        this.requestPartitions = TopicReader.partitions(replies, topics.scoreRequests(), metadataTimeout).size();
        this.replyPartitions = TopicReader.partitions(replies, topics.scores(), metadataTimeout);
        replies.assign(replyPartitions);
    }

    /** Partition of a request: consecutive versions of a stream go round the partitions. */
    static int partition(String stream, long version, int partitions) {
        return (int) Math.floorMod(stream.hashCode() + version, (long) partitions);
    }

    @Override
    public Optional<ScoreGather> exchange(List<ScoreRequest> requests, BooleanSupplier keepGoing) {
        ScoreGather gather = new ScoreGather(requests);
        if (requests.isEmpty()) {
            return Optional.of(gather);
        }
        replies.seekToEnd(replyPartitions);
        replyPartitions.forEach(replies::position); // resolve the end now, before a reply can exist
        send(requests);
        long started = System.nanoTime();
        long warnAt = started + WARN_EVERY.toNanos();
        while (!gather.complete()) {
            if (!keepGoing.getAsBoolean()) {
                return Optional.empty();
            }
            for (ConsumerRecord<String, byte[]> r : replies.poll(POLL)) {
                try {
                    gather.offer(ScoreReply.decode(r.value()));
                } catch (IllegalArgumentException e) {
                    if (unreadable++ == 0) {
                        log.warn("Scores record {}-{}@{} is ignored: {} (further ones are counted, not logged)", r.topic(),
                                r.partition(), r.offset(), e.getMessage());
                    }
                }
            }
            if (System.nanoTime() - warnAt > 0) {
                List<ScoreRequest> missing = gather.missing();
                log.warn("Still waiting after {} s for the scores of {} of {} versions (first: stream {} version {}) on {}: "
                                + "are scorers running (clpipe scorer) on {}?", (System.nanoTime() - started) / 1_000_000_000L,
                        missing.size(), requests.size(), missing.get(0).stream(), missing.get(0).version(), topics.scores(),
                        topics.scoreRequests());
                warnAt = System.nanoTime() + WARN_EVERY.toNanos();
            }
        }
        return Optional.of(gather);
    }

    private void send(List<ScoreRequest> requests) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(requests.size());
        for (ScoreRequest r : requests) {
            sent.add(producer.send(new ProducerRecord<>(topics.scoreRequests(), partition(r.stream(), r.version(), requestPartitions),
                    r.stream(), r.encode())));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending score requests", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("score requests could not be sent to " + topics.scoreRequests() + ": "
                        + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        producer.close();
        replies.close();
    }
}
