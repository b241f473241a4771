package io.clpipe.evaluator.service;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.SnapshotAssembler;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.Sample;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.Consumer;
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
 * previous owners committed ({@link ModelsOwnership}, {@link LedgerCatchUp}). A batch whose transaction
 * fails because the group moved on is rolled back. See {@link EvaluatorService} for the guarantees.
 */
final class EvaluationLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EvaluationLoop.class);
    private static final Duration NO_DEADLINE = Duration.ofDays(36_500);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final EvaluatorServiceConfig config;
    private final Topics topics;
    private final Consumer<String, byte[]> models;
    private final Consumer<String, byte[]> eval;
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
    private final LedgerCatchUp catchUp;
    private final ModelsOwnership ownership;
    /** Counts for the shutdown summary (the scorer keeps its own). */
    private long unreadableEval;
    /** The state of the last committed transaction (or of the last catch-up), to roll back to. */
    private EvaluatorState lastCommitted;

    EvaluationLoop(EvaluatorServiceConfig config, KafkaClients clients, EvaluatorMeters meters, Clock clock,
                   BooleanSupplier running) {
        this(config, LoopClients.open(clients), config.spreadScoring() ? new KafkaScoreExchange(config.topics(),
                clients.scoreRequestProducer(), clients.scoresReader(), METADATA_TIMEOUT) : null, meters, clock, running);
    }

    /**
     * With the clients given (the tests' MockConsumers and MockProducer); the loop closes them.
     *
     * @param spread where versions are sent to scorer instances with {@code scoring=spread}; null scores here
     */
    EvaluationLoop(EvaluatorServiceConfig config, LoopClients clients, ScoreExchange spread, EvaluatorMeters meters,
                   Clock clock, BooleanSupplier running) {
        this.config = config;
        this.topics = config.topics();
        this.assembler = new SnapshotAssembler(topics.models());
        this.meters = meters;
        this.running = running;
        this.models = clients.models();
        this.eval = clients.eval();
        this.publisher = new MetricsPublisher(clients.metrics(), config.transactionalId(), meters);
        this.intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        this.evaluator = new SnapshotEvaluator(config, intake, meters, clock);
        Map<String, TopicPartition> ownedStreams = new HashMap<>();
        this.scorer = spread != null
                ? new SpreadBatchScorer(topics, assembler, evaluator, meters, ownedStreams, spread,
                        ScoreRequest.EvalSettings.of(config), running)
                : new SnapshotBatchScorer(topics, assembler, evaluator, meters, ownedStreams, config.thinning());
        StateStore stateStore = null;
        Ledger metricsLedger = null;
        try {
            stateStore = new StateStore(config.stateDir());
            metricsLedger = new Ledger(clients.ledger(), topics.metrics(), METADATA_TIMEOUT, ledgerPositions);
        } catch (RuntimeException e) {
            for (AutoCloseable c : new AutoCloseable[] {metricsLedger, clients.ledger(), publisher, eval, models, evaluator,
                    stateStore}) {
                closeQuietly(c, "client");
            }
            throw e;
        }
        this.store = stateStore;
        this.ledger = metricsLedger;
        this.evalSets = new EvalSetKeeper(new EvalSetFile(config.stateDir()), config.evalSetConfig().mode(), intake,
                topics.eval());
        this.catchUp = new LedgerCatchUp(ledger, evaluator, ownedStreams, running);
        this.ownership = new ModelsOwnership(models, catchUp, ownedStreams, assembler, meters, running, this::saveState);
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
        long replayed = catchUp.catchUp(LedgerMark.NONE);
        if (replayed < 0) {
            return false;
        }
        if (replayed > 0) {
            log.info("Caught up {} metrics records from {} that the state file did not include yet", replayed, topics.metrics());
        }
        saveState();
        TopicReader.partitions(models, topics.models(), METADATA_TIMEOUT); // fails clearly if the topic is missing
        models.subscribe(List.of(topics.models()), ownership);
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

    /** Whether the models consumer has joined its group and been given its partitions (possibly none) at least once. */
    boolean joined() {
        return ownership.joined();
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
        SnapshotBatchScorer.Scored scored = scorer.score(records, PolledEnds.of(models, records.partitions(), config.thinning()));
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
        ownership.committed(next);
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
        ownership.seekToCommitted();
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
        return new EvaluatorState(topics.models(), config.groupId(), ownership.committedByPartition(), ledgerPositions.snapshot(),
                evaluator.export(), intake.fingerprints());
    }

    /** Stream → the last version whose metrics the engines hold. */
    Map<String, Long> lastEvaluated() {
        return evaluator.lastEvaluated();
    }

    String summary() {
        return scorer.summary() + ", " + publisher.aborts() + " transaction aborts, "
                + (intake.unusable() + unreadableEval) + " unusable eval records, " + ownership.assignments()
                + " partition assignments; models offsets committed " + ownership.committedByPartition()
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
