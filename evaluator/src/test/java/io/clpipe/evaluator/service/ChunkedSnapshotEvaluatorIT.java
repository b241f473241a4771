package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.broker.TopicCreation;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.SnapshotChunks;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-MB snapshots on a models topic capped at 1 MiB per record (a managed Kafka's limit) arrive as chunk sets;
 * the evaluator reassembles them and publishes exactly the metrics it publishes for the same snapshots sent as
 * single records, and a chunk set with one flipped byte is refused and counted, never scored.
 */
class ChunkedSnapshotEvaluatorIT {

    private static final String STREAM = "big";
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** 8 → 1024 → 1024 → 5: 1.06 M parameters, 4.2 MB per snapshot, 5 chunks of 960 KiB. */
    private static final String SPEC = "mlp in=8 hidden=1024,1024 classes=5 batch=64";
    private static final int PARAMETERS = 8 * 1024 + 1024 + 1024 * 1024 + 1024 + 1024 * 5 + 5;
    private static final int ONE_MIB = 1 << 20;

    private static TestKafkaCluster kafka;
    private static Admin admin;

    @TempDir
    Path chunkedState;

    @TempDir
    Path singleState;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaClusters.start();
        admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()));
    }

    @AfterAll
    static void stopKafka() {
        admin.close();
        kafka.close();
    }

    @Test
    void chunkedSnapshotsOnAOneMibTopicScoreAsSingleRecordsDoAndACorruptChunkSetIsRefused() throws Exception {
        List<ModelSnapshot> snapshots = List.of(snapshot(1), snapshot(2), snapshot(3));

        Topics single = topics("single.", 0);
        SimpleMeterRegistry singleMeters = new SimpleMeterRegistry();
        try (EvaluatorService service = start(single, singleState, singleMeters)) {
            writeEvalSamples(single);
            try (KafkaProducer<String, byte[]> p = producer(Integer.MAX_VALUE)) {
                for (ModelSnapshot s : List.of(snapshots.get(0), snapshots.get(2))) {
                    send(p, single, SnapshotChunks.parts(STREAM, s.getVersion(), AvroSerde.modelSnapshot().serialize(s), Map.of(),
                            Topics.MAX_SNAPSHOT_BYTES));
                }
            }
            awaitAllCommitted(single, service);
            assertThat(rejected(singleMeters)).isZero();
        }

        Topics chunked = topics("chunked.", ONE_MIB);
        SimpleMeterRegistry chunkedMeters = new SimpleMeterRegistry();
        int chunksOfV2;
        try (EvaluatorService service = start(chunked, chunkedState, chunkedMeters)) {
            writeEvalSamples(chunked);
            try (KafkaProducer<String, byte[]> p = producer(SnapshotChunks.DEFAULT_CHUNK_BYTES + SnapshotChunks.RECORD_OVERHEAD_BYTES)) {
                for (ModelSnapshot s : snapshots) {
                    List<SnapshotChunks.Part> parts = SnapshotChunks.parts(STREAM, s.getVersion(),
                            AvroSerde.modelSnapshot().serialize(s), Map.of(), SnapshotChunks.DEFAULT_CHUNK_BYTES);
                    assertThat(parts).hasSizeGreaterThan(2);
                    if (s.getVersion() == 2) {
                        parts.get(1).value()[4242] ^= 0x10; // one flipped bit in the second chunk
                    }
                    send(p, chunked, parts);
                }
                chunksOfV2 = SnapshotChunks.parts(STREAM, 2, AvroSerde.modelSnapshot().serialize(snapshots.get(1)), Map.of(),
                        SnapshotChunks.DEFAULT_CHUNK_BYTES).size();
            }
            awaitAllCommitted(chunked, service);
            assertThat(rejected(chunkedMeters)).as("the refused chunk set is counted (while the stream is exported)").isEqualTo(1.0);
        }

        List<IterationMetrics> reference = committedMetrics(single);
        List<IterationMetrics> metrics = committedMetrics(chunked);
        assertThat(chunksOfV2).isGreaterThan(2);
        assertThat(reference).extracting(IterationMetrics::getIteration).containsExactly(1L, 3L);
        assertThat(metrics).as("the corrupt version 2 is not scored").extracting(IterationMetrics::getIteration)
                .containsExactly(1L, 3L);
        for (int i = 0; i < 2; i++) {
            assertThat(metrics.get(i).getTasks()).as("v%d scored as from a single record", metrics.get(i).getIteration())
                    .isEqualTo(reference.get(i).getTasks());
            assertThat(metrics.get(i).getTasks().get("a").getSamples()).isPositive();
        }
    }

    /**
     * An evaluator stopped while a chunk set is half read has not committed beyond the set's first chunk, so its
     * restart reads the set whole once the rest arrives, and scores it.
     */
    @Test
    void anEvaluatorRestartedInTheMiddleOfAChunkSetReadsItWholeAfterwards() throws Exception {
        Topics topics = topics("restart.", ONE_MIB);
        ModelSnapshot s = snapshot(1);
        List<SnapshotChunks.Part> parts = SnapshotChunks.parts(STREAM, 1, AvroSerde.modelSnapshot().serialize(s), Map.of(),
                SnapshotChunks.DEFAULT_CHUNK_BYTES);
        TopicPartition tp = new TopicPartition(topics.models(), 0);
        try (KafkaProducer<String, byte[]> p = producer(SnapshotChunks.DEFAULT_CHUNK_BYTES + SnapshotChunks.RECORD_OVERHEAD_BYTES)) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            try (EvaluatorService service = start(topics, chunkedState, meters)) {
                writeEvalSamples(topics);
                send(p, topics, parts.subList(0, 2));
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!(committedOffset(tp) != null && committedOffset(tp) == 0 && behind(meters) == 0)) {
                    assertThat(service.failure()).isEmpty();
                    assertThat(System.nanoTime() - deadline).as("the evaluator to read the first chunks").isNegative();
                    Thread.sleep(100);
                }
            }
            try (EvaluatorService service = start(topics, chunkedState, new SimpleMeterRegistry())) {
                send(p, topics, parts.subList(2, parts.size()));
                awaitAllCommitted(topics, service);
            }
        }
        assertThat(committedMetrics(topics)).extracting(IterationMetrics::getIteration).containsExactly(1L);
    }

    private static Long committedOffset(TopicPartition tp) throws Exception {
        OffsetAndMetadata o = admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get().get(tp);
        return o == null ? null : o.offset();
    }

    private static double behind(SimpleMeterRegistry registry) {
        io.micrometer.core.instrument.Gauge g = registry.find("clpipe.eval.snapshots.behind").gauge();
        return g == null ? -1 : g.value();
    }

    private static ModelSnapshot snapshot(long version) {
        float[] p = new float[PARAMETERS];
        SplittableRandom random = new SplittableRandom(version);
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (random.nextGaussian() * 0.05);
        }
        return ParameterBytes.setParameters(ModelSnapshot.newBuilder(), p).setStream(STREAM).setVersion(version).setTask("a")
                .setSeenTasks(new ArrayList<>(List.of("a"))).setLearningRate(0.01).setLoss(0.5).setModelSpec(SPEC)
                .setTimestamp(1_700_000_000_000L + version).build();
    }

    private static double rejected(SimpleMeterRegistry registry) {
        Counter c = registry.find("clpipe.eval.rejected").tag("stream", STREAM).counter();
        return c == null ? 0 : c.count();
    }

    private static Topics topics(String prefix, int modelsMaxMessageBytes) throws Exception {
        Topics topics = Topics.withPrefix(prefix);
        TopicCreation.create(admin, topics.specs().stream().map(s -> {
            if (!s.name().equals(topics.models()) || modelsMaxMessageBytes <= 0) {
                return s;
            }
            Map<String, String> configs = new HashMap<>(s.configs());
            configs.put("max.message.bytes", Integer.toString(modelsMaxMessageBytes));
            return new TopicSpec(s.name(), s.partitions(), configs, Map.of());
        }).map(TopicSpec::newTopic).toList());
        return topics;
    }

    private static EvaluatorService start(Topics topics, Path dir, SimpleMeterRegistry registry) throws InterruptedException {
        EvaluatorServiceConfig config = Scenario.config(dir).topics(topics).groupId("g").transactionalId(topics.models() + "-tx")
                .pollTimeout(Duration.ofMillis(100)).build();
        EvaluatorService service = new EvaluatorService(config, EvaluatorProcess.clientProperties(kafka.bootstrapServers(), false),
                registry);
        service.start();
        assertThat(service.awaitReady(WAIT)).as("evaluator ready; failure: %s", service.failure()).isTrue();
        return service;
    }

    private static KafkaProducer<String, byte[]> producer(int maxRequestSize) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Math.min(maxRequestSize, Topics.MAX_SNAPSHOT_BYTES)));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, List<SnapshotChunks.Part> parts) throws Exception {
        for (SnapshotChunks.Part part : parts) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.models(), STREAM, part.value());
            part.headers().forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(r).get();
        }
    }

    private static void writeEvalSamples(Topics topics) throws Exception {
        try (KafkaProducer<String, byte[]> p = producer(ONE_MIB)) {
            for (Sample s : TestStreams.samples(STREAM, "a", 0, 20)) {
                p.send(new ProducerRecord<>(topics.eval(), STREAM, AvroSerde.sample().serialize(s))).get();
            }
        }
    }

    /** Waits until the group has committed the models topic up to its end (no chunk set left half-read). */
    private static void awaitAllCommitted(Topics topics, EvaluatorService service) throws Exception {
        TopicPartition tp = new TopicPartition(topics.models(), 0);
        long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            assertThat(service.failure()).isEmpty();
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets("g").partitionsToOffsetAndMetadata().get().get(tp);
            if (committed != null && committed.offset() == end) {
                return;
            }
            assertThat(System.nanoTime() - deadline).as("group g to commit %s up to %d (now %s)", tp, end, committed).isNegative();
            Thread.sleep(100);
        }
    }

    private static List<IterationMetrics> committedMetrics(Topics topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<IterationMetrics> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topics.metrics(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(MetricsJson.parse(r.value()));
                }
            }
        }
        return out;
    }
}
