package io.clpipe.learner.service;

import io.clpipe.schemas.ClientConfig;
import io.clpipe.schemas.Service;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner service: consumes {@code train} (and {@code control}), keeps one continual learner per
 * stream, publishes snapshots to {@code models} on the evaluation plan's cadence, checkpoints each
 * stream every N steps, on revoke and on close, and resumes from those checkpoints exactly: nothing
 * lost, nothing trained twice, and with the same input the same weights bit for bit.
 *
 * <p>{@link #start()} runs the loop on its own thread; {@link #close()} lets the current step finish,
 * checkpoints every stream, commits and closes the clients.
 */
public final class LearnerService implements Service {

    private static final Logger log = LoggerFactory.getLogger(LearnerService.class);

    private final LearnerServiceConfig config;
    private final Properties clientProperties;
    private static final List<String> READ_AHEAD_GAUGES = List.of("clpipe.learner.read.ahead.records",
            "clpipe.learner.read.ahead.bytes");

    private final MeterRegistry registry;
    private final Clock clock;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean aborting = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private Thread thread;
    private volatile TrainLoop loop;
    private boolean closed;

    /**
     * @param clientProperties bootstrap servers and any security or tuning settings, passed to every
     *                         Kafka client; the service sets group, commit, isolation and serde settings itself
     */
    public LearnerService(LearnerServiceConfig config, Properties clientProperties, MeterRegistry registry) {
        this(config, clientProperties, registry, Clock.systemUTC());
    }

    LearnerService(LearnerServiceConfig config, Properties clientProperties, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.clientProperties = (Properties) clientProperties.clone();
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        if (thread != null || closed) {
            throw new IllegalStateException("the learner service starts once");
        }
        log.info("Learner starting: bootstrap {}, group {}, topics train={} control={} models={}, checkpoints ({}) every {} steps,"
                        + " batch {} ({} new per step), evaluation plan every {} (first {} after a boundary)",
                clientProperties.getProperty("bootstrap.servers"), config.groupId(), config.topics().train(),
                config.topics().control(), config.topics().models(), config.checkpointStore() == LearnerServiceConfig.CheckpointStoreKind.LOCAL
                        ? config.checkpointDir().toAbsolutePath() : "topic " + config.topics().checkpoints(),
                config.checkpointEverySteps(), config.learner().batchSize(), config.learner().newPerStep(),
                config.plan().period(), config.plan().denseWindow());
        if (!config.drift().signals().isEmpty()) {
            log.info("Loss drift detector on: {}", config.drift().describe());
        }
        thread = new Thread(this::run, "clpipe-learner");
        thread.start();
    }

    private void run() {
        long started = clock.millis();
        try {
            ModelsTopicCheck.verify(config.topics().models(), config.snapshotFlow().chunkBytes(), clientProperties);
        } catch (IllegalStateException e) {
            failure.set(e);
            log.error("Learner refuses to start: {}", e.getMessage());
            return;
        }
        SnapshotFlow flow = config.snapshotFlow();
        Optional<EvalBackPressure> pressure = flow.evalMaxLag() > 0
                ? Optional.of(new EvalBackPressure(flow.evalMaxLag(), flow.evalGroupId(), config.topics().models(), clientProperties))
                : Optional.empty();
        pressure.ifPresentOrElse(p -> log.info("eval.max.lag={}: training waits while more than that many snapshots are not"
                + " committed by evaluator group {}", p.maxLag(), flow.evalGroupId()), () -> log.info("eval.max.lag off: the"
                + " evaluator may fall behind the learner (docs/operations.md)"));
        try (AutoCloseable closePressure = () -> pressure.ifPresent(EvalBackPressure::close);
             KafkaLearnerOutput output = new KafkaLearnerOutput(config.topics(), clientProperties, flow.chunkBytes(),
                     pressure.<KafkaLearnerOutput.SnapshotListener>map(p -> p).orElse(KafkaLearnerOutput.SnapshotListener.NONE));
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(trainConsumerProperties());
             TrainFeed feed = feed(consumer);
             ControlChannel control = new ControlChannel(new KafkaConsumer<>(controlConsumerProperties()),
                     config.topics().control());
             CheckpointStore store = config.openCheckpointStore(clientProperties)) {
            log.info("Checkpoints in {}", store.describe());
            StreamContext ctx = new StreamContext(config.learner(), config.plan(), output, registry, clock,
                    config.drift(), config.prequentialFading());
            TrainLoop trainLoop = new TrainLoop(config, consumer, feed, control, output, store, ctx, pressure);
            loop = trainLoop;
            trainLoop.run(stopping::get, aborting::get);
            log.info("Learner stopped cleanly after {} s", (clock.millis() - started) / 1000);
        } catch (Throwable t) {
            failure.set(t);
            log.error("Learner failed and stopped: {}", t.toString(), t);
        } finally {
            // bound to this run's queue: a later service on the same registry registers its own
            READ_AHEAD_GAUGES.forEach(name -> registry.find(name).meters().forEach(registry::remove));
            List.of(TrainingHold.HELD_GAUGE, TrainingHold.LAG_GAUGE).forEach(name -> registry.find(name).meters()
                    .forEach(registry::remove));
        }
    }

    /** The group consumer's own records, or a read-ahead thread with a group-less consumer of the same client settings. */
    private TrainFeed feed(KafkaConsumer<String, byte[]> group) {
        LearnerServiceConfig.ReadAhead ahead = config.readAhead();
        if (!ahead.enabled()) {
            log.info("Read-ahead off: the loop polls {} itself", config.topics().train());
            return new DirectFeed(group);
        }
        log.info("Reading {} ahead on a second thread: up to {} records, {} bytes", config.topics().train(), ahead.records(),
                ahead.bytes());
        ReadAheadBuffer buffer = new ReadAheadBuffer(ahead.records(), ahead.bytes());
        Gauge.builder(READ_AHEAD_GAUGES.get(0), buffer, ReadAheadBuffer::records)
                .description("Training records read ahead and waiting for the training loop").register(registry);
        Gauge.builder(READ_AHEAD_GAUGES.get(1), buffer, b -> (double) b.bytes())
                .description("Encoded bytes of the training records read ahead and waiting for the training loop")
                .baseUnit("bytes").register(registry);
        TrainReadAhead reader = new TrainReadAhead(new KafkaConsumer<>(readAheadConsumerProperties()), buffer,
                config.pollTimeout(), "clpipe-learner-read-ahead");
        return new ReadAheadFeed(group, buffer, reader);
    }

    /** Whether the consumer loop is running (false before start, after close or a failure). */
    public synchronized boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    /** Why the learner cannot train now: loop not running, or its consumer not yet in the group; empty when it can. */
    @Override
    public Optional<String> notReady() {
        if (!isRunning()) {
            return Optional.of("training loop not running");
        }
        TrainLoop l = loop;
        return l != null && l.joined() ? Optional.empty()
                : Optional.of("waiting for the partitions of " + config.topics().train() + " (joining group " + config.groupId() + ")");
    }

    /** What stopped the loop, if it stopped on an error. */
    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Finishes the current step, checkpoints every stream, commits, closes the clients. Idempotent. */
    @Override
    public void close() {
        stop(false);
    }

    /**
     * Stops like a crash would, as far as state goes: no final checkpoint and no commit, so a restart
     * resumes from the last periodic checkpoints (tests use it to check exact recovery).
     */
    void abort() {
        stop(true);
    }

    private void stop(boolean abort) {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
        }
        aborting.set(abort);
        stopping.set(true);
        if (t == null) {
            return;
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while waiting for the learner to stop");
        }
    }

    private Properties trainConsumerProperties() {
        ClientConfig c = consumer("learner train consumer", "clpipe-learner")
                .byDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .force(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        if (!"consumer".equalsIgnoreCase(c.user(ConsumerConfig.GROUP_PROTOCOL_CONFIG))) {
            c.byDefault(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        return c.build();
    }

    /** The read-ahead's consumer: the training consumer's settings, without a group (it is assigned what the group gave the loop). */
    private Properties readAheadConsumerProperties() {
        return groupless(consumer("learner read-ahead consumer", "clpipe-learner-read-ahead"))
                .byDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .drop(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)
                .build();
    }

    private Properties controlConsumerProperties() {
        return groupless(consumer("learner control reader", "clpipe-learner-control")).build();
    }

    /** Defaults, the user's client settings, then what the learner's exactness needs (manual commits, committed reads). */
    private ClientConfig consumer(String name, String clientId) {
        return ClientConfig.of(name, clientProperties)
                .byDefault(ConsumerConfig.CLIENT_ID_CONFIG, clientId)
                .force(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .force(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .force(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
                .force(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    private static ClientConfig groupless(ClientConfig c) {
        return c.drop(ConsumerConfig.GROUP_ID_CONFIG)
                .drop(ConsumerConfig.GROUP_PROTOCOL_CONFIG)
                .drop(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    }
}
