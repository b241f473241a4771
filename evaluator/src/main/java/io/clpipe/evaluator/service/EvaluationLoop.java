package io.clpipe.evaluator.service;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
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
 * offsets → persist the state. See {@link EvaluatorService} for the guarantees.
 */
final class EvaluationLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EvaluationLoop.class);
    private static final Duration NO_DEADLINE = Duration.ofDays(36_500);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final EvaluatorServiceConfig config;
    private final Topics topics;
    private final KafkaClients clients;
    private final KafkaConsumer<String, byte[]> models;
    private final KafkaConsumer<String, byte[]> eval;
    private final MetricsPublisher publisher;
    private final StateStore store;
    private final EvalIntake intake;
    private final SnapshotEvaluator evaluator;
    private final EvaluatorMeters meters;
    private final BooleanSupplier running;
    private final AvroSerde<ModelSnapshot> snapshots = AvroSerde.modelSnapshot();
    private final AvroSerde<Sample> samples = AvroSerde.sample();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final Map<Integer, Long> metricsPositions = new TreeMap<>();
    private final Totals totals = new Totals();
    private List<TopicPartition> modelPartitions = List.of();

    /** Counts for the shutdown summary. */
    private static final class Totals {
        long evaluated;
        long duplicates;
        long rejected;
        long unreadableEval;
    }

    EvaluationLoop(EvaluatorServiceConfig config, KafkaClients clients, EvaluatorMeters meters, Clock clock,
                   BooleanSupplier running) {
        this.config = config;
        this.topics = config.topics();
        this.clients = clients;
        this.meters = meters;
        this.running = running;
        this.intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        this.evaluator = new SnapshotEvaluator(config, intake, meters, clock);
        this.store = new StateStore(config.stateDir());
        try {
            this.models = clients.modelsConsumer();
            this.eval = clients.reader("eval");
            this.publisher = new MetricsPublisher(clients.metricsProducer(), config.transactionalId(), meters);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Restores the saved state, rebuilds the eval sets from the eval topic, replays metrics records
     * published after the state was saved, and positions the models consumer at the group's committed
     * offsets. False if a shutdown was requested meanwhile.
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
        saved.ifPresentOrElse(this::adopt, () -> log.info("No state file in {}: metrics engines are rebuilt from the "
                + "metrics topic {} from its start", config.stateDir(), topics.metrics()));

        modelPartitions = TopicReader.partitions(models, topics.models(), METADATA_TIMEOUT);
        models.assign(modelPartitions);
        List<TopicPartition> evalPartitions = TopicReader.partitions(eval, topics.eval(), METADATA_TIMEOUT);
        eval.assign(evalPartitions);
        eval.seekToBeginning(evalPartitions);
        long[] read = {0};
        if (!new TopicReader(eval).readToEnd(NO_DEADLINE, running, r -> {
            read[0]++;
            offerEval(r);
        })) {
            return false;
        }
        log.info("Eval sets rebuilt from {} eval records on {}", read[0], topics.eval());
        saved.ifPresent(s -> intake.verify(s.fingerprints()).forEach(problem -> log.warn("Eval set {} after the restart "
                + "(eval-topic retention or a recreated topic?): scores from now on use a different subset", problem)));
        if (!replayPublished()) {
            return false;
        }
        Map<TopicPartition, OffsetAndMetadata> groupOffsets = models.committed(new HashSet<>(modelPartitions));
        for (TopicPartition tp : modelPartitions) {
            OffsetAndMetadata offset = groupOffsets.get(tp);
            if (offset == null) {
                models.seekToBeginning(List.of(tp));
            } else {
                models.seek(tp, offset.offset());
                committed.put(tp, offset.offset());
            }
        }
        saved.filter(s -> !s.modelsOffsets().equals(byPartition(committed))).ifPresent(s -> log.info(
                "State file was saved at models offsets {}, group {} has committed {}: the difference was caught up from "
                        + "the metrics topic", s.modelsOffsets(), config.groupId(), byPartition(committed)));
        store.save(state());
        log.info("Evaluator ready: group {} at models offsets {}; streams at versions {}", config.groupId(),
                byPartition(committed), evaluator.lastEvaluated());
        return true;
    }

    private void adopt(EvaluatorState saved) {
        if (!saved.modelsTopic().equals(topics.models()) || !saved.groupId().equals(config.groupId())) {
            throw new IllegalStateException("state in " + config.stateDir() + " belongs to group " + saved.groupId()
                    + " on " + saved.modelsTopic() + ", not group " + config.groupId() + " on " + topics.models()
                    + "; use another --state-dir");
        }
        evaluator.restore(saved.streams());
        metricsPositions.putAll(saved.metricsPositions());
        evaluator.streamsWithOtherSettings().forEach(s -> log.warn("Stream {}: saved metric settings differ from the "
                + "configured ones; the saved settings are kept so that the metrics continue consistently", s));
        log.info("State restored from {}: models offsets {}, streams at versions {}", store.file(), saved.modelsOffsets(),
                evaluator.lastEvaluated());
    }

    /** Feeds metrics records committed after the saved state (a crash between commit and save) into the engines. */
    private boolean replayPublished() {
        try (KafkaConsumer<String, byte[]> reader = clients.reader("ledger")) {
            List<TopicPartition> partitions = TopicReader.partitions(reader, topics.metrics(), METADATA_TIMEOUT);
            reader.assign(partitions);
            for (TopicPartition tp : partitions) {
                Long position = metricsPositions.get(tp.partition());
                if (position == null) {
                    reader.seekToBeginning(List.of(tp));
                } else {
                    reader.seek(tp, position);
                }
            }
            long[] applied = {0};
            boolean complete = new TopicReader(reader).readToEnd(NO_DEADLINE, running, r -> {
                try {
                    if (evaluator.replay(MetricsJson.parse(r.value()))) {
                        applied[0]++;
                    }
                } catch (SerializationException e) {
                    log.warn("Metrics record {}-{}@{} is not readable and is ignored: {}", r.topic(), r.partition(), r.offset(),
                            e.getMessage());
                }
            });
            if (!complete) {
                return false;
            }
            partitions.forEach(tp -> metricsPositions.put(tp.partition(), reader.position(tp)));
            if (applied[0] > 0) {
                log.info("Caught up {} published metrics records from {} that the state file did not include yet",
                        applied[0], topics.metrics());
            }
            return true;
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
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            ModelSnapshot snapshot;
            try {
                snapshot = snapshots.deserialize(r.value());
            } catch (SerializationException e) {
                totals.rejected++;
                meters.rejected(r.key() == null ? "unknown" : r.key());
                log.error("Models record {}-{}@{} is not a readable snapshot and is skipped: {}", r.topic(), r.partition(),
                        r.offset(), e.getMessage());
                continue;
            }
            SnapshotEvaluator.Outcome outcome = evaluator.evaluate(snapshot);
            if (outcome instanceof SnapshotEvaluator.Outcome.Evaluated evaluated) {
                totals.evaluated++;
                IterationMetrics metrics = evaluated.metrics();
                out.add(new ProducerRecord<>(topics.metrics(), metrics.getStream(), MetricsJson.write(metrics)));
            } else if (outcome instanceof SnapshotEvaluator.Outcome.Duplicate) {
                totals.duplicates++;
            } else {
                totals.rejected++;
            }
        }
        commit(out, next);
    }

    private void commit(List<ProducerRecord<String, byte[]>> out, Map<TopicPartition, OffsetAndMetadata> next) {
        publisher.publish(out, next, models.groupMetadata()).forEach((partition, position) ->
                metricsPositions.merge(partition, position, Math::max));
        next.forEach((tp, offset) -> committed.put(tp, offset.offset()));
        store.save(state());
    }

    private void offerEval(ConsumerRecord<String, byte[]> r) {
        try {
            intake.offer(samples.deserialize(r.value()));
        } catch (SerializationException | IllegalArgumentException e) {
            if (totals.unreadableEval++ == 0) {
                log.warn("Eval record {}-{}@{} is ignored: {} (further ones are counted, not logged)", r.topic(),
                        r.partition(), r.offset(), e.getMessage());
            }
        }
    }

    private void updateBehind() {
        try {
            Map<TopicPartition, Long> end = models.endOffsets(modelPartitions, Duration.ofSeconds(5));
            long behind = 0;
            for (TopicPartition tp : modelPartitions) {
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
        return new EvaluatorState(topics.models(), config.groupId(), byPartition(committed), metricsPositions,
                evaluator.export(), intake.fingerprints());
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        Map<Integer, Long> out = new TreeMap<>();
        offsets.forEach((tp, offset) -> out.put(tp.partition(), offset));
        return out;
    }

    String summary() {
        return totals.evaluated + " snapshots evaluated and published, " + totals.duplicates + " duplicate versions skipped, "
                + totals.rejected + " rejected, " + publisher.aborts() + " transaction aborts, "
                + (intake.unusable() + totals.unreadableEval) + " unusable eval records; models offsets committed " + byPartition(committed)
                + ", streams at versions " + evaluator.lastEvaluated();
    }

    @Override
    public void close() {
        closeQuietly(publisher, "metrics producer");
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
