package io.clpipe.evaluator.service;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.SnapshotAssembler;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scorer's Kafka side, run by one thread: poll score requests (as a member of the scorers' group) →
 * catch up the eval topic → read each requested snapshot from the models topic by its offsets → score it
 * ({@link SnapshotScoring}) → one transaction holding the replies and the requests' offsets
 * (consume-transform-produce, exactly-once v2). A scorer killed mid-batch leaves an aborted transaction
 * and uncommitted offsets: the group gives its partitions to another scorer, which scores the same
 * requests again.
 */
final class ScoringLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScoringLoop.class);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    /** The eval sets of one eval-set setting (normally the only one), with their own reader of the eval topic. */
    private record Sets(KafkaConsumer<String, byte[]> eval, EvalIntake intake, SnapshotScoring scoring) {
    }

    private final ScorerServiceConfig config;
    private final Topics topics;
    private final ScorerClients clients;
    private final KafkaConsumer<String, byte[]> requests;
    private final KafkaConsumer<String, byte[]> models;
    private final MetricsPublisher publisher;
    private final EvaluatorMeters evalMeters;
    private final Counter scored;
    private final Timer seconds;
    private final BooleanSupplier running;
    private final Map<ScoreRequest.EvalSettings, Sets> sets = new HashMap<>();
    private final AvroSerde<Sample> samples = AvroSerde.sample();
    private final AvroSerde<ModelSnapshot> snapshots = AvroSerde.modelSnapshot();
    private volatile boolean joined;
    private long replies;
    private long failed;
    private long unreadable;

    ScoringLoop(ScorerServiceConfig config, ScorerClients clients, MeterRegistry registry, BooleanSupplier running) {
        this.config = config;
        this.topics = config.topics();
        this.clients = clients;
        this.running = running;
        this.evalMeters = new EvaluatorMeters(registry);
        this.scored = Counter.builder("clpipe.scorer.scored").description("Snapshot versions scored and their scores committed "
                + "(spread scoring)").register(registry);
        this.seconds = Timer.builder("clpipe.scorer.seconds").description("Time to read and score one requested snapshot")
                .register(registry);
        KafkaConsumer<String, byte[]> requestConsumer = clients.requestsConsumer();
        KafkaConsumer<String, byte[]> modelsReader = null;
        try {
            modelsReader = clients.modelsReader();
            this.publisher = new MetricsPublisher(clients.scoresProducer(), config.transactionalId(), evalMeters);
        } catch (RuntimeException e) {
            requestConsumer.close();
            if (modelsReader != null) {
                modelsReader.close();
            }
            throw e;
        }
        this.requests = requestConsumer;
        this.models = modelsReader;
    }

    /** Fences an older scorer with the same transactional id, checks the topics, joins the scorers' group. */
    void start() {
        publisher.initTransactions();
        TopicReader.partitions(models, topics.models(), METADATA_TIMEOUT);
        TopicReader.partitions(requests, topics.scoreRequests(), METADATA_TIMEOUT);
        requests.subscribe(List.of(topics.scoreRequests()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                joined = true;
                if (!partitions.isEmpty()) {
                    log.info("Scoring the requests of partitions {}", partitions);
                }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty() && running.getAsBoolean()) {
                    log.info("Requests of partitions {} are scored elsewhere from now on", partitions);
                }
            }
        });
        log.info("Scorer ready: joining group {} on {} (transactional id {}), scores to {}", config.groupId(),
                topics.scoreRequests(), config.transactionalId(), topics.scores());
    }

    boolean joined() {
        return joined;
    }

    void runOnce() {
        ConsumerRecords<String, byte[]> batch;
        try {
            batch = requests.poll(config.pollTimeout());
        } catch (WakeupException e) {
            return;
        }
        if (batch.isEmpty()) {
            return;
        }
        List<ScoreRequest> decoded = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            next.put(tp, new OffsetAndMetadata(r.offset() + 1));
            first.putIfAbsent(tp, r.offset());
            try {
                decoded.add(ScoreRequest.decode(r.value()));
            } catch (IllegalArgumentException e) {
                if (unreadable++ == 0) {
                    log.warn("Score request {}-{}@{} is ignored: {} (further ones are counted, not logged)", r.topic(),
                            r.partition(), r.offset(), e.getMessage());
                }
            }
        }
        new HashSet<>(decoded.stream().map(ScoreRequest::eval).toList()).forEach(s -> catchUp(sets(s)));
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(decoded.size());
        for (ScoreRequest request : decoded) {
            ScoreReply reply = score(request);
            if (reply == null) {
                rewind(first);
                return;
            }
            out.add(new ProducerRecord<>(topics.scores(), request.stream(), reply.encode()));
        }
        try {
            publisher.publish(out, next, requests.groupMetadata());
        } catch (OwnershipLostException e) {
            log.warn("{}; these requests are scored again by whichever scorer owns them now", e.getMessage());
            rewind(first);
            return;
        }
        replies += out.size();
        scored.increment(out.size());
    }

    /** The batch is not published: its partitions go back to where it started (a rebalance may move them meanwhile). */
    private void rewind(Map<TopicPartition, Long> first) {
        first.forEach((tp, offset) -> {
            if (requests.assignment().contains(tp)) {
                requests.seek(tp, offset);
            }
        });
    }

    private Sets sets(ScoreRequest.EvalSettings settings) {
        return sets.computeIfAbsent(settings, s -> {
            KafkaConsumer<String, byte[]> reader = clients.reader("eval-" + sets.size());
            reader.assign(TopicReader.partitions(reader, topics.eval(), METADATA_TIMEOUT));
            reader.seekToBeginning(reader.assignment());
            EvalIntake intake = new EvalIntake(s.evalSetConfig(), s.textContext(), evalMeters);
            log.info("Eval sets with {} samples per task (reservoir {}, seed {}, text context {}) built from {}", s.setSize(),
                    s.reservoirSize(), s.seed(), s.textContext(), topics.eval());
            return new Sets(reader, intake, new SnapshotScoring(intake, s.textContext()));
        });
    }

    /** Eval samples ingest wrote before the requested snapshots must be in the eval sets first (as for the evaluator). */
    private void catchUp(Sets s) {
        if (!new TopicReader(s.eval()).readToEnd(config.catchUpTimeout(), running, r -> {
            try {
                s.intake().offer(samples.deserialize(r.value()));
            } catch (SerializationException | IllegalArgumentException e) {
                // counted by the evaluator, which reads the same records
            }
        })) {
            log.warn("Eval topic {} not read to its end within {}; scoring with the samples read so far", topics.eval(),
                    config.catchUpTimeout());
        }
    }

    /** The reply to one request, or null if its snapshot could not be read in time (the batch is retried). */
    private ScoreReply score(ScoreRequest request) {
        Timer.Sample timer = Timer.start();
        TopicPartition tp = new TopicPartition(topics.models(), request.partition());
        models.assign(List.of(tp));
        models.seek(tp, request.firstOffset());
        SnapshotAssembler assembler = new SnapshotAssembler(topics.models());
        long deadline = System.nanoTime() + config.catchUpTimeout().toNanos();
        while (models.position(tp) <= request.lastOffset()) {
            if (!running.getAsBoolean() || System.nanoTime() - deadline > 0) {
                log.warn("Snapshot of stream {} version {} ({}@{}..{}) not read within {}; the batch is retried",
                        request.stream(), request.version(), tp, request.firstOffset(), request.lastOffset(), config.catchUpTimeout());
                return null;
            }
            for (ConsumerRecord<String, byte[]> r : models.poll(POLL)) {
                if (r.offset() > request.lastOffset()) {
                    continue;
                }
                for (SnapshotAssembler.Outcome o : assembler.offer(r)) {
                    if (o instanceof SnapshotAssembler.Outcome.Whole w && w.lastOffset() == request.lastOffset()) {
                        ScoreReply reply = score(request, w.value());
                        timer.stop(seconds);
                        return reply;
                    }
                }
            }
        }
        return fail(request, "the snapshot is no longer on " + tp + " at offsets " + request.firstOffset() + ".."
                + request.lastOffset() + " (retention?)");
    }

    private ScoreReply score(ScoreRequest request, byte[] value) {
        ModelSnapshot snapshot;
        try {
            snapshot = snapshots.deserialize(value);
        } catch (SerializationException e) {
            return fail(request, "not a readable snapshot: " + e.getMessage());
        }
        if (!snapshot.getStream().equals(request.stream()) || snapshot.getVersion() != request.version()) {
            return fail(request, "the models topic holds stream " + snapshot.getStream() + " version " + snapshot.getVersion()
                    + " there");
        }
        try {
            return ScoreReply.scored(request, config.transactionalId(), sets(request.eval()).scoring().score(snapshot));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return fail(request, e.getMessage());
        }
    }

    private ScoreReply fail(ScoreRequest request, String why) {
        failed++;
        log.error("Stream {} version {} cannot be scored: {}", request.stream(), request.version(), why);
        return ScoreReply.failed(request, config.transactionalId(), why);
    }

    void wakeup() {
        requests.wakeup();
    }

    String summary() {
        return replies + " scores published (" + failed + " snapshots refused), " + unreadable + " unreadable requests, "
                + publisher.aborts() + " transaction aborts";
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {publisher, requests, models}) {
            closeQuietly(c);
        }
        sets.values().forEach(s -> {
            closeQuietly(s.eval());
            s.scoring().close();
        });
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("Closing a client failed: {}", e.toString());
        }
    }
}
