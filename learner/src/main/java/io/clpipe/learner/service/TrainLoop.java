package io.clpipe.learner.service;

import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.models.ModelSpec;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop of the learner service, on one thread: training records → the stream's learner,
 * control events → the stream's learner, checkpoints and commits; the rebalance listener restores
 * assigned partitions (and tells the {@link TrainFeed} where to read them from) and checkpoints
 * revoked ones. The records come from the feed: polled by the group consumer itself, or read ahead
 * on a second thread; either way every learner is touched by this thread only.
 *
 * <p>Resume: on assignment every checkpoint of the partition is restored and the partition is sought
 * to the smallest of their positions (each stream then skips what it trained already); a partition
 * without checkpoints is read from its beginning, whatever the group's committed offset, because the
 * checkpoints are the source of truth. A new stream is checkpointed as soon as it is first seen, so
 * no partition is ever sought past a stream's untrained records.
 */
final class TrainLoop implements ConsumerRebalanceListener {

    private volatile boolean joined;

    private static final Logger log = LoggerFactory.getLogger(TrainLoop.class);

    private final LearnerServiceConfig config;
    private final Consumer<String, byte[]> consumer;
    private final TrainFeed feed;
    private final ControlChannel control;
    private final LearnerOutput output;
    private final CheckpointStore store;
    private final StreamContext ctx;
    private final MeterRegistry registry;
    /** One decoder for the loop: building one costs more than decoding a record (Avro scans the class path). */
    private final AvroSerde<Sample> samples = AvroSerde.sample();
    private final Map<TopicPartition, Map<String, StreamLearner>> owned = new LinkedHashMap<>();
    private final Map<String, StreamLearner> byStream = new HashMap<>();
    private boolean checkpointOnRevoke = true;
    /** {@code eval.max.lag}: present when training waits for the evaluator. */
    private final Optional<TrainingHold> hold;

    /**
     * @param consumer the group consumer: subscriptions, rebalances and commits
     * @param feed     the training records ({@code consumer}'s own, or read ahead)
     */
    TrainLoop(LearnerServiceConfig config, Consumer<String, byte[]> consumer, TrainFeed feed, ControlChannel control,
              LearnerOutput output, CheckpointStore store, StreamContext ctx, Optional<EvalBackPressure> pressure) {
        this.config = config;
        this.consumer = consumer;
        this.feed = feed;
        this.control = control;
        this.output = output;
        this.store = store;
        this.ctx = ctx;
        this.registry = ctx.registry();
        this.hold = pressure.map(p -> new TrainingHold(consumer, p, config.pollTimeout(), registry));
    }

    /** Runs until {@code stop} answers true; then checkpoints everything, unless {@code abort} does. */
    void run(BooleanSupplier stop, BooleanSupplier abort) {
        control.open();
        consumer.subscribe(List.of(config.topics().train()), this);
        try {
            while (!stop.getAsBoolean()) {
                for (TrainRecord r : feed.poll(config.pollTimeout())) {
                    hold.ifPresent(h -> h.awaitEvaluator(stop, output::flush));
                    if (stop.getAsBoolean()) {
                        break; // the rest is re-consumed after a restart: it is not in any checkpoint
                    }
                    process(r);
                }
                control.poll(byStream::get, byStream.values());
                if (!stop.getAsBoolean() && (hold.isEmpty() || !hold.get().mustWait(output::flush))) {
                    trainLingering();
                }
            }
        } catch (RuntimeException e) {
            // A step may have failed half-way: checkpointing now could save a state no run reaches.
            checkpointOnRevoke = false;
            dropAll();
            throw e;
        }
        if (abort.getAsBoolean()) {
            log.warn("Learner aborted without a final checkpoint; a restart resumes from the last periodic ones");
            checkpointOnRevoke = false;
            dropAll();
            return;
        }
        for (TopicPartition tp : List.copyOf(owned.keySet())) {
            owned.get(tp).values().forEach(this::checkpoint);
            commit(tp);
        }
        owned.values().forEach(streams -> streams.values().forEach(this::logSummary));
        dropAll();
    }

    private void process(TrainRecord r) {
        TopicPartition tp = r.partition();
        Map<String, StreamLearner> streams = owned.get(tp);
        if (streams == null) {
            return;
        }
        if (r.key() == null) {
            skipped("no-key", r, null, "a training record without a key (the stream id)");
            return;
        }
        StreamLearner learner = streams.get(r.key());
        if (learner != null && !learner.isNew(r.offset())) {
            return;
        }
        Sample sample;
        try {
            sample = r.sample(samples);
        } catch (RuntimeException e) {
            skipped("undecodable", r, learner, e.getMessage());
            return;
        }
        if (learner == null) {
            learner = newStream(tp, r, sample);
            if (learner == null) {
                return;
            }
            streams.put(r.key(), learner);
            byStream.put(r.key(), learner);
        }
        Optional<String> unfit = learner.offer(r.offset(), sample);
        if (unfit.isPresent()) {
            skipped("unfit", r, null, unfit.get());
        }
        if (learner.checkpointDue(config.checkpointEverySteps())) {
            checkpoint(learner);
            commit(tp);
        }
    }

    /**
     * Trains the partial batch of every stream idle for {@code batch.linger.ms} whose partition is
     * read to its end, then checkpoints it at once (the cut is then part of the stream's history:
     * a restart resumes after it) and only then publishes the cut step's snapshot.
     */
    private void trainLingering() {
        long linger = config.batchLingerMs();
        if (linger < 0) {
            return;
        }
        for (Map.Entry<TopicPartition, Map<String, StreamLearner>> e : owned.entrySet()) {
            boolean any = false;
            for (StreamLearner learner : e.getValue().values()) {
                if (!learner.lingerDue(linger) || !feed.caughtUp(e.getKey())) {
                    continue;
                }
                int trained = learner.cutBatch();
                checkpoint(learner);
                learner.publishOwedSnapshot();
                any = true;
                log.info("Stream {}: idle for {} ms, trained its {} pending samples as step {} (linger cut {}, checkpointed)",
                        learner.stream(), linger, trained, learner.iteration(), learner.cuts().count());
            }
            if (any) {
                commit(e.getKey());
            }
        }
    }

    private StreamLearner newStream(TopicPartition tp, TrainRecord r, Sample first) {
        ModelSpec spec;
        try {
            spec = config.models().specFor(r.key(), first, config.learner().batchSize());
            new TrainingUnits(spec).check(first);
        } catch (IllegalArgumentException e) {
            skipped("unfit", r, null, e.getMessage());
            return null;
        }
        StreamLearner learner = StreamLearner.create(ctx, r.key(), tp.topic(), tp.partition(), spec, r.offset(),
                first.getTask(), control.positions());
        log.info("Stream {} first seen at {} offset {} (task {}): new model {} with {} parameters", r.key(), tp, r.offset(),
                first.getTask(), spec, learner.parameterCount());
        checkpoint(learner);
        return learner;
    }

    private void skipped(String reason, TrainRecord r, StreamLearner learner, String why) {
        Counter.builder("clpipe.learner.records.skipped").description("Training records not trained on, by reason")
                .tag("reason", reason).register(registry).increment();
        if (learner != null) {
            learner.skip(r.offset());
        }
        log.warn("Skipped training record {}-{}@{} (stream {}): {}", r.topic(), r.partition().partition(), r.offset(), r.key(), why);
    }

    private void checkpoint(StreamLearner learner) {
        output.flush();
        LearnerState state = learner.checkpointState();
        store.write(learner.topic(), learner.partition(), learner.stream(), state);
        learner.checkpointWritten();
        log.info("Checkpoint of stream {}: iteration {}, resumes at offset {}, {} samples trained, {} pending",
                learner.stream(), state.iteration(), learner.checkpointedPosition(), learner.samplesTrained(), learner.pending());
    }

    /** Commits the smallest checkpointed position of the partition's streams: for lag monitoring only. */
    private void commit(TopicPartition tp) {
        Map<String, StreamLearner> streams = owned.get(tp);
        if (streams == null || streams.isEmpty()) {
            return;
        }
        long offset = streams.values().stream().mapToLong(s -> s.checkpointedPosition().offset()).min().orElseThrow();
        try {
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(offset)));
        } catch (KafkaException e) {
            log.warn("Could not commit offset {} of {} (only lag monitoring is affected): {}", offset, tp, e.toString());
        }
    }

    /** Whether the loop has joined its group and been given its partitions (possibly none) at least once. */
    boolean joined() {
        return joined;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        joined = true;
        for (TopicPartition tp : partitions) {
            Map<String, StreamLearner> streams = new LinkedHashMap<>();
            owned.put(tp, streams);
            List<LearnerState> states;
            try {
                states = store.readPartition(tp.topic(), tp.partition());
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot resume " + tp + " from the checkpoints in " + store.describe() + ": "
                        + e.getMessage() + " (remove the stream's checkpoint to retrain it from the start of the topic)", e);
            }
            for (LearnerState state : states) {
                StreamLearner learner = restore(tp, state);
                streams.put(learner.stream(), learner);
                byStream.put(learner.stream(), learner);
                control.rewindTo(learner.controlPositions());
                log.info("Stream {} restored from checkpoint: iteration {}, resumes at {} offset {}, {} samples trained, tasks {}",
                        learner.stream(), learner.iteration(), tp, learner.checkpointedPosition(), learner.samplesTrained(),
                        learner.taskNames());
            }
            Optional<StreamPosition> from = streams.values().stream().map(StreamLearner::checkpointedPosition)
                    .min(StreamPosition::compareTo);
            if (from.isPresent()) {
                feed.assigned(tp, OptionalLong.of(from.get().offset()));
                log.info("Assigned {}: {} stream(s) restored, reading from offset {}", tp, streams.size(), from.get().offset());
            } else {
                feed.assigned(tp, OptionalLong.empty());
                log.info("Assigned {}: no checkpoint, reading from the beginning", tp);
            }
        }
    }

    private StreamLearner restore(TopicPartition tp, LearnerState state) {
        try {
            return StreamLearner.restore(ctx, state);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot resume a stream of " + tp + " from its checkpoint (stream "
                    + state.callerData().get("stream") + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            Map<String, StreamLearner> streams = owned.get(tp);
            if (streams == null) {
                continue;
            }
            feed.revoked(tp);
            if (checkpointOnRevoke) {
                streams.values().forEach(this::checkpoint);
                commit(tp);
            }
            log.info("Revoked {}: {} stream(s) handed over{}", tp, streams.size(), checkpointOnRevoke ? " after a checkpoint" : "");
            drop(tp);
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (owned.containsKey(tp)) {
                feed.revoked(tp);
                log.warn("Lost {} (another instance may own it now): its streams are dropped without a checkpoint", tp);
                drop(tp);
            }
        }
    }

    private void drop(TopicPartition tp) {
        Map<String, StreamLearner> streams = owned.remove(tp);
        if (streams != null) {
            streams.values().forEach(s -> {
                byStream.remove(s.stream());
                s.close();
            });
        }
    }

    private void dropAll() {
        new ArrayList<>(owned.keySet()).forEach(this::drop);
    }

    private void logSummary(StreamLearner s) {
        log.info("Stream {}: iteration {}, {} samples trained, checkpoint resumes at offset {} ({} pending samples will be read again)",
                s.stream(), s.iteration(), s.samplesTrained(), s.checkpointedPosition(), s.pending());
    }
}
