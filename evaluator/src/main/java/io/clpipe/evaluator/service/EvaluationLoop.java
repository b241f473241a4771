package io.clpipe.evaluator.service;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.SnapshotAssembler;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.Sample;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator's Kafka side, run by one thread: recovery at start, then poll snapshots → catch up
 * the eval topic → evaluate → one transaction holding the metrics records and the models-topic
 * offsets → persist the state. The models topic is consumed as a group member, so several evaluators
 * share its partitions; on every assignment the metrics topic is read up to what the partitions'
 * previous owners committed ({@link Ledger}, {@link LedgerMark}). See {@link EvaluatorService} for
 * the guarantees.
 */
final class EvaluationLoop implements AutoCloseable {

    private volatile boolean joined;

    private static final Logger log = LoggerFactory.getLogger(EvaluationLoop.class);
    private static final Duration NO_DEADLINE = Duration.ofDays(36_500);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    /** How long a takeover waits for the previous owner's last transaction to become readable. */
    private static final Duration MARK_TIMEOUT = Duration.ofSeconds(60);

    private final EvaluatorServiceConfig config;
    private final Topics topics;
    private final KafkaClients clients;
    private final KafkaConsumer<String, byte[]> models;
    private final KafkaConsumer<String, byte[]> eval;
    private final MetricsPublisher publisher;
    private final Ledger ledger;
    private final LedgerPositions ledgerPositions = new LedgerPositions();
    private final StateStore store;
    private final EvalSetKeeper evalSets;
    private final EvalIntake intake;
    private final SnapshotEvaluator evaluator;
    private final EvaluatorMeters meters;
    private final BooleanSupplier running;
    private final AvroSerde<Sample> samples = AvroSerde.sample();
    private final SnapshotAssembler assembler;
    private final BatchScorer scorer;
    /** Models partitions this evaluator owns → the offset committed last (absent: none committed yet). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    /** Streams this evaluator evaluates → the models partition their snapshots arrive on. */
    private final Map<String, TopicPartition> ownedStreams = new HashMap<>();
    /** Counts for the shutdown summary (the scorer keeps its own). */
    private long unreadableEval;
    private long takeovers;
    /** The state of the last committed transaction (or of the last catch-up), to roll back to. */
    private EvaluatorState lastCommitted;

    EvaluationLoop(EvaluatorServiceConfig config, KafkaClients clients, EvaluatorMeters meters, Clock clock,
                   BooleanSupplier running) {
        this.config = config;
        this.topics = config.topics();
        this.assembler = new SnapshotAssembler(topics.models());
        this.clients = clients;
        this.meters = meters;
        this.running = running;
        this.intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        this.evaluator = new SnapshotEvaluator(config, intake, meters, clock);
        this.scorer = config.spreadScoring()
                ? new SpreadBatchScorer(topics, assembler, evaluator, meters, ownedStreams, new KafkaScoreExchange(topics,
                        clients.scoreRequestProducer(), clients.scoresReader(), METADATA_TIMEOUT),
                        ScoreRequest.EvalSettings.of(config), running)
                : new SnapshotBatchScorer(topics, assembler, evaluator, meters, ownedStreams);
        this.store = new StateStore(config.stateDir());
        this.evalSets = new EvalSetKeeper(new EvalSetFile(config.stateDir()), config.evalSetConfig().mode(), intake,
                topics.eval());
        KafkaConsumer<String, byte[]> modelsConsumer = null;
        KafkaConsumer<String, byte[]> evalReader = null;
        MetricsPublisher metricsPublisher = null;
        Ledger metricsLedger = null;
        try {
            modelsConsumer = clients.modelsConsumer();
            evalReader = clients.reader("eval");
            metricsPublisher = new MetricsPublisher(clients.metricsProducer(), config.transactionalId(), meters);
            metricsLedger = new Ledger(clients.reader("ledger"), topics.metrics(), METADATA_TIMEOUT, ledgerPositions);
        } catch (RuntimeException e) {
            for (AutoCloseable c : new AutoCloseable[] {metricsLedger, metricsPublisher, evalReader, modelsConsumer, evaluator,
                    store}) {
                closeQuietly(c, "client");
            }
            throw e;
        }
        this.models = modelsConsumer;
        this.eval = evalReader;
        this.publisher = metricsPublisher;
        this.ledger = metricsLedger;
    }

    /**
     * Restores the saved state, rebuilds the eval sets from the eval topic, reads the metrics topic
     * from the saved positions to its end, and joins the group of the models topic (the partitions
     * come with the first poll). False if a shutdown was requested meanwhile.
     *
     * @throws IllegalStateException if the state file is corrupt or belongs to another group/topic
     */
    boolean recover() {
        Optional<EvaluatorState> saved;
        try {
            saved = store.load();
        } catch (StateCorruptException e) {
            throw new IllegalStateException("evaluator state " + store.file() + " is corrupt (" + e.getMessage()
                    + "); refusing to start. Move the file away to rebuild the metrics engines from the metrics topic", e);
        }
        publisher.initTransactions();
        evaluator.reloadHeldModels();
        saved.ifPresentOrElse(this::adopt, () -> log.info("No state file in {}: metrics engines are rebuilt from the "
                + "metrics topic {} from its start", config.stateDir(), topics.metrics()));

        List<TopicPartition> evalPartitions = TopicReader.partitions(eval, topics.eval(), METADATA_TIMEOUT);
        eval.assign(evalPartitions);
        Map<Integer, Long> evalFrom = evalSets.restore();
        evalSets.position(eval, evalPartitions, evalFrom, METADATA_TIMEOUT);
        long[] read = {0};
        if (!new TopicReader(eval).readToEnd(NO_DEADLINE, running, r -> {
            read[0]++;
            offerEval(r);
        })) {
            return false;
        }
        log.info("Eval sets: {} eval records read on {} ({})", read[0], topics.eval(),
                evalFrom.isEmpty() ? "from its start" : "from the positions saved with the sets");
        saved.ifPresent(s -> intake.verify(s.fingerprints()).forEach(problem -> log.warn("Eval set {} after the restart "
                + "(eval-topic retention or a recreated topic?): scores from now on use a different subset", problem)));
        long replayed = catchUpLedger(LedgerMark.NONE);
        if (replayed < 0) {
            return false;
        }
        if (replayed > 0) {
            log.info("Caught up {} metrics records from {} that the state file did not include yet", replayed, topics.metrics());
        }
        saveState();
        TopicReader.partitions(models, topics.models(), METADATA_TIMEOUT); // fails clearly if the topic is missing
        models.subscribe(List.of(topics.models()), new ModelsRebalance());
        log.info("Evaluator ready: joining group {} on {} (transactional id {}); streams at versions {}", config.groupId(),
                topics.models(), config.transactionalId(), evaluator.lastEvaluated());
        return true;
    }

    private void adopt(EvaluatorState saved) {
        if (!saved.modelsTopic().equals(topics.models()) || !saved.groupId().equals(config.groupId())) {
            throw new IllegalStateException("state in " + config.stateDir() + " belongs to group " + saved.groupId()
                    + " on " + saved.modelsTopic() + ", not group " + config.groupId() + " on " + topics.models()
                    + "; use another --state-dir");
        }
        evaluator.restore(saved.streams());
        ledgerPositions.restore(saved.metricsPositions());
        evaluator.streamsWithOtherSettings().forEach(s -> log.warn("Stream {}: saved metric settings differ from the "
                + "configured ones; the saved settings are kept so that the metrics continue consistently", s));
        log.info("State restored from {}: models offsets {} when saved, metrics read up to {}, streams at versions {}",
                store.file(), saved.modelsOffsets(), saved.metricsPositions(), evaluator.lastEvaluated());
    }

    /**
     * Feeds the metrics records committed since the ledger positions (by this or any evaluator of the
     * group), and at least up to the mark, into the engines. Records applied (the others were in the
     * engines already), or −1 on shutdown.
     */
    private long catchUpLedger(LedgerMark mark) {
        long[] applied = {0};
        long read = ledger.catchUp(mark, MARK_TIMEOUT, running, r -> {
            try {
                IterationMetrics published = MetricsJson.parse(r.value());
                if (evaluator.replay(published, ownedStreams.containsKey(published.getStream()))) {
                    applied[0]++;
                }
            } catch (SerializationException e) {
                log.warn("Metrics record {}-{}@{} is not readable and is ignored: {}", r.topic(), r.partition(), r.offset(),
                        e.getMessage());
            }
        });
        return read < 0 ? -1 : applied[0];
    }

    /** Whether the models consumer has joined its group and been given its partitions (possibly none) at least once. */
    boolean joined() {
        return joined;
    }

    /** Positions newly assigned models partitions at the group's offsets, after the metrics their previous owners published. */
    private final class ModelsRebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> groupOffsets = models.committed(new HashSet<>(partitions));
            LedgerMark mark = LedgerMark.NONE;
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata offset = groupOffsets.get(tp);
                if (offset == null) {
                    models.seekToBeginning(List.of(tp));
                } else {
                    models.seek(tp, offset.offset());
                    committed.put(tp, offset.offset());
                    mark = mark.union(LedgerMark.decode(offset.metadata()).orElse(LedgerMark.NONE));
                }
            }
            long replayed = catchUpLedger(mark);
            if (replayed < 0) {
                return; // shutting down
            }
            saveState();
            takeovers++;
            log.info("Assigned models partitions {} at committed offsets {}; {} metrics records of other evaluators caught up "
                    + "(previous owners' last transactions reached {}); streams at versions {}", partitions, EvaluatorState.byPartition(committed), replayed,
                    mark.ends(), evaluator.lastEvaluated());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            release(partitions, "Revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions, "Lost (another evaluator may own them now)");
        }

        /** No transaction is open between polls, so there is nothing to finish: only stop exporting their streams. */
        private void release(Collection<TopicPartition> partitions, String what) {
            if (partitions.isEmpty()) {
                return;
            }
            List<String> streams = new ArrayList<>();
            ownedStreams.entrySet().removeIf(e -> {
                boolean drop = partitions.contains(e.getValue());
                if (drop) {
                    streams.add(e.getKey());
                    meters.forget(e.getKey());
                }
                return drop;
            });
            partitions.forEach(committed::remove);
            assembler.forget(partitions);
            if (running.getAsBoolean()) {
                log.info("{} models partitions {}; streams {} are evaluated elsewhere from now on", what, partitions, streams);
            } else {
                log.info("Released models partitions {} (streams {}) on shutdown", partitions, streams);
            }
        }
    }

    /** One poll of the models topic and, if it returned snapshots, one evaluated and committed batch. */
    void runOnce() {
        ConsumerRecords<String, byte[]> records;
        try {
            records = models.poll(config.pollTimeout());
        } catch (WakeupException e) {
            return;
        }
        if (!records.isEmpty()) {
            process(records);
        }
        updateBehind();
    }

    private void process(ConsumerRecords<String, byte[]> records) {
        // Eval samples that ingest wrote before these snapshots must be in the eval sets first.
        if (!new TopicReader(eval).readToEnd(config.catchUpTimeout(), () -> true, this::offerEval)) {
            log.warn("Eval topic {} not read to its end within {}; evaluating with the samples read so far", topics.eval(),
                    config.catchUpTimeout());
        }
        SnapshotBatchScorer.Scored scored = scorer.score(records);
        commit(scored.metrics(), scored.next());
    }

    private void commit(List<ProducerRecord<String, byte[]>> out, Map<TopicPartition, OffsetAndMetadata> next) {
        Map<Integer, MetricsPublisher.Written> written;
        try {
            written = publisher.publish(out, next, models.groupMetadata());
        } catch (OwnershipLostException e) {
            rollBack(e);
            return;
        }
        written.forEach((partition, w) -> ledgerPositions.published(partition, w.first(), w.last(), w.count()));
        next.forEach((tp, offset) -> committed.put(tp, offset.offset()));
        saveState();
    }

    /**
     * The batch was not published: the engines go back to the last committed state and the partitions
     * still assigned to the last committed offsets, so the next poll (which rejoins the group)
     * evaluates those snapshots again if they are still this evaluator's.
     */
    private void rollBack(OwnershipLostException e) {
        log.warn("{}; rolling back to the last committed state and rejoining the group", e.getMessage());
        evaluator.restore(lastCommitted.streams());
        evaluator.reloadHeldModels();
        ledgerPositions.restore(lastCommitted.metricsPositions());
        assembler.forget(models.assignment());
        for (TopicPartition tp : models.assignment()) {
            Long offset = committed.get(tp);
            if (offset == null) {
                models.seekToBeginning(List.of(tp));
            } else {
                models.seek(tp, offset);
            }
        }
    }

    private void saveState() {
        lastCommitted = state();
        store.save(lastCommitted);
        evaluator.stateSaved();
        evalSets.saveIfChanged(eval, METADATA_TIMEOUT);
    }

    private void offerEval(ConsumerRecord<String, byte[]> r) {
        try {
            intake.offer(samples.deserialize(r.value()));
        } catch (SerializationException | IllegalArgumentException e) {
            if (unreadableEval++ == 0) {
                log.warn("Eval record {}-{}@{} is ignored: {} (further ones are counted, not logged)", r.topic(),
                        r.partition(), r.offset(), e.getMessage());
            }
        }
    }

    private void updateBehind() {
        try {
            Set<TopicPartition> assigned = models.assignment();
            Map<TopicPartition, Long> end = models.endOffsets(assigned, Duration.ofSeconds(5));
            long behind = 0;
            for (TopicPartition tp : assigned) {
                behind += Math.max(0, end.getOrDefault(tp, 0L) - models.position(tp));
            }
            meters.snapshotsBehind(behind);
        } catch (WakeupException e) {
            // close() woke the consumer; the loop ends
        } catch (KafkaException e) {
            log.debug("Models-topic end offsets unavailable: {}", e.toString());
        }
    }

    /** Interrupts a blocking models-topic poll (from another thread). */
    void wakeup() {
        models.wakeup();
    }

    private EvaluatorState state() {
        return new EvaluatorState(topics.models(), config.groupId(), EvaluatorState.byPartition(committed), ledgerPositions.snapshot(),
                evaluator.export(), intake.fingerprints());
    }

    String summary() {
        return scorer.summary() + ", " + publisher.aborts() + " transaction aborts, "
                + (intake.unusable() + unreadableEval) + " unusable eval records, " + takeovers
                + " partition assignments; models offsets committed " + EvaluatorState.byPartition(committed)
                + ", streams at versions " + evaluator.lastEvaluated();
    }

    @Override
    public void close() {
        closeQuietly(scorer, "scorer");
        closeQuietly(publisher, "metrics producer");
        closeQuietly(ledger, "metrics reader");
        closeQuietly(models, "models consumer");
        closeQuietly(eval, "eval consumer");
        closeQuietly(evaluator, "models");
        closeQuietly(store, "state directory lock");
    }

    private static void closeQuietly(AutoCloseable closeable, String what) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            log.warn("Closing the {} failed: {}", what, e.toString());
        }
    }
}
