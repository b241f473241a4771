package io.clpipe.ingest.service;

import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.schemas.ClientConfig;
import io.clpipe.schemas.SampleDecoder;
import io.clpipe.schemas.SchemaRegistryClient;
import io.clpipe.schemas.Service;
import io.clpipe.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest Kafka Streams application (exactly-once v2): validates {@code samples}, writes
 * {@code train}/{@code eval}/{@code dlq} and boundary events to {@code control}.
 */
public final class IngestService implements Service {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);
    /** The default Kafka Streams application id (topic prefix {@code clpipe.}); see {@link IngestServiceConfig#applicationId()}. */
    public static final String APPLICATION_ID = "clpipe-ingest";

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final CountDownLatch running = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * @param clientProperties bootstrap servers and any security settings; Streams settings below are defaults
     */
    public IngestService(Topics topics, RoutingConfig config, Properties clientProperties, MeterRegistry registry) {
        this(new IngestServiceConfig(topics, APPLICATION_ID, IngestServiceConfig.defaultStateDir(), config), clientProperties, registry);
    }

    /**
     * @param clientProperties bootstrap servers and any security settings; Streams settings below are
     *                         defaults that these override (the application id and state dir come from the config)
     */
    public IngestService(IngestServiceConfig config, Properties clientProperties, MeterRegistry registry) {
        Topics topics = config.topics();
        // Every Streams setting here is a default: --kafka-config can change any of them (docs/operations.md).
        Properties props = ClientConfig.of("ingest Streams app", SchemaRegistryClient.withoutRegistrySettings(clientProperties))
                .byDefault(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId())
                .byDefault(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .byDefault(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200)
                .byDefault(StreamsConfig.producerPrefix("linger.ms"), 5)
                .byDefault(StreamsConfig.producerPrefix("batch.size"), 256 * 1024)
                .byDefault(StreamsConfig.producerPrefix("compression.type"), "lz4")
                // One produce request in flight: with more, a CONCURRENT_TRANSACTIONS answer to the first
                // batch of a transaction (the previous one still completing, transactions v2) was seen to
                // leave the later in-flight batches retrying OUT_OF_ORDER_SEQUENCE_NUMBER without end
                // (clpipe chaos, Kafka 4.3.1 broker; compare KAFKA-14920 and KAFKA-15591).
                .byDefault(StreamsConfig.producerPrefix("max.in.flight.requests.per.connection"), 1)
                .byDefault(StreamsConfig.STATE_DIR_CONFIG, config.stateDir())
                .build();
        // schema.registry.url (+ basic.auth.user.info) opt into the registry wire format; they are no Kafka settings.
        SampleDecoder decoder = SchemaRegistryClient.from(clientProperties).map(SampleDecoder::new).orElseGet(SampleDecoder::new);
        this.streams = new KafkaStreams(IngestTopology.build(topics, config.routing(), decoder, new IngestMetrics(registry),
                Clock.systemUTC()), props);
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.setStateListener((now, before) -> {
            log.info("Ingest state {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
            if (now == KafkaStreams.State.ERROR) {
                failure.compareAndSet(null, new IllegalStateException("ingest Kafka Streams app entered state ERROR"));
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Ingest stream thread failed; shutting ingest down: {}", e.toString(), e);
            failure.compareAndSet(null, e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    @Override
    public void start() {
        streams.start();
    }

    /** Waits until the Streams app has joined its group and runs; false on timeout. */
    @Override
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What stopped ingest by itself (a fatal error in a stream thread); empty while it runs or after close. */
    @Override
    public java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(failure.get());
    }

    /** Why ingest cannot route records now (empty when its Kafka Streams app is RUNNING: group joined, tasks assigned). */
    @Override
    public java.util.Optional<String> notReady() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.RUNNING ? java.util.Optional.empty()
                : java.util.Optional.of("Kafka Streams is " + state + ", not RUNNING");
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Commits the current transaction and leaves the group. */
    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        streamsMetrics.close();
        log.info("Ingest stopped");
    }
}
