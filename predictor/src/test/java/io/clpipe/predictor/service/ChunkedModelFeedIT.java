package io.clpipe.predictor.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.broker.TopicCreation;
import io.clpipe.predictor.engine.ModelTable;
import io.clpipe.predictor.engine.ServedModel;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.SnapshotChunks;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ModelSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The predictor's {@link ModelFeed} puts a 50.9 M-parameter (204 MB) snapshot sent as 1 MiB-capped chunk records
 * back together and serves exactly its parameters; a later chunk set with a flipped byte is refused and counted
 * while the verified version stays in service.
 */
class ChunkedModelFeedIT {

    private static final String STREAM = "huge";
    private static final String SPEC = "mlp in=64 hidden=7100,7100 classes=10 batch=64";
    private static final int PARAMETERS = 64 * 7100 + 7100 + 7100 * 7100 + 7100 + 7100 * 10 + 10;
    private static final int ONE_MIB = 1 << 20;

    private static TestKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaClusters.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void aTwoHundredMegabyteChunkedSnapshotIsServedBitIdenticalAndACorruptOneIsRefused() throws Exception {
        Topics topics = Topics.withPrefix("feed.");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSpec models = topics.spec(topics.models());
            Map<String, String> configs = new HashMap<>(models.configs());
            configs.put("max.message.bytes", Integer.toString(ONE_MIB));
            TopicCreation.create(admin, List.of(new TopicSpec(models.name(), 1, configs, Map.of()).newTopic()));
        }
        float[] parameters = new float[PARAMETERS];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = (float) random.nextGaussian();
        }
        try (KafkaProducer<String, byte[]> p = producer()) {
            send(p, topics, snapshot(1, parameters), false);
        }
        PredictorServiceConfig config = PredictorServiceConfig.defaults(topics);
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        List<Long> swapped = new ArrayList<>();
        try (ModelTable table = new ModelTable();
             ModelFeed feed = new ModelFeed(new PredictorClients(config, client).modelsReader(), topics.models(), table,
                     (stream, version, task) -> swapped.add(version))) {
            long t0 = System.nanoTime();
            assertThat(feed.catchUp(Duration.ofSeconds(120), () -> true)).isTrue();
            long loaded = System.nanoTime() - t0;
            assertThat(swapped).containsExactly(1L);
            ServedModel served = table.get(STREAM).orElseThrow();
            assertThat(Arrays.equals(served.model().parametersToArray(), parameters)).as("served parameters bit-identical").isTrue();
            assertThat(feed.skipped()).isZero();
            System.out.printf(Locale.ROOT, "predictor: %,d-parameter chunked snapshot read, reassembled, verified and loaded "
                    + "in %.2f s%n", PARAMETERS, loaded / 1e9);

            parameters[7] += 1f;
            try (KafkaProducer<String, byte[]> p = producer()) {
                send(p, topics, snapshot(2, parameters), true);
            }
            assertThat(feed.catchUp(Duration.ofSeconds(120), () -> true)).isTrue();
            assertThat(feed.skipped()).as("the corrupt set is refused and counted").isEqualTo(1);
            assertThat(swapped).containsExactly(1L);
            assertThat(table.get(STREAM).orElseThrow().version()).isEqualTo(1);
        }
    }

    private static ModelSnapshot snapshot(long version, float[] parameters) {
        return ParameterBytes.setParameters(ModelSnapshot.newBuilder(), parameters).setStream(STREAM).setVersion(version)
                .setTask("a").setSeenTasks(new ArrayList<>(List.of("a"))).setLearningRate(0.01).setLoss(0.5).setModelSpec(SPEC)
                .setTimestamp(1_700_000_000_000L + version).build();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(SnapshotChunks.DEFAULT_CHUNK_BYTES
                + SnapshotChunks.RECORD_OVERHEAD_BYTES));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, ModelSnapshot s, boolean corrupt)
            throws Exception {
        List<SnapshotChunks.Part> parts = SnapshotChunks.parts(STREAM, s.getVersion(), AvroSerde.modelSnapshot().serialize(s),
                Map.of(), SnapshotChunks.DEFAULT_CHUNK_BYTES);
        assertThat(parts).hasSizeGreaterThan(200);
        if (corrupt) {
            parts.get(100).value()[1000] ^= 0x01;
        }
        for (SnapshotChunks.Part part : parts) {
            ProducerRecord<String, byte[]> r = new ProducerRecord<>(topics.models(), STREAM, part.value());
            part.headers().forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(r);
        }
        producer.flush();
    }
}
