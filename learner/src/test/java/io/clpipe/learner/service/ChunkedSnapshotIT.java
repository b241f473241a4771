package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.SnapshotAssembler;
import io.clpipe.schemas.SnapshotChunks;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots larger than one record go through the learner's publishing code ({@link KafkaLearnerOutput}) and the
 * real broker as chunks plus a manifest, on a models topic capped at 1 MiB per record (a managed Kafka's limit),
 * and come back bit-identical through {@link SnapshotAssembler}, the reader of the evaluator and the predictor.
 */
class ChunkedSnapshotIT {

    /** 64 inputs, two hidden layers of 7100, 10 classes: 50.9 M parameters, 204 MB of float32. */
    private static final String BIG_SPEC = "mlp in=64 hidden=7100,7100 classes=10 batch=64";
    private static final int BIG_PARAMETERS = 64 * 7100 + 7100 + 7100 * 7100 + 7100 + 7100 * 10 + 10;
    private static final int ONE_MIB = 1 << 20;

    private static TestKafkaCluster kafka;
    private static ServiceKafka broker;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaClusters.start();
        broker = new ServiceKafka(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    static ModelSnapshot snapshot(String stream, long version, String spec, int parameters, long seed) {
        float[] p = new float[parameters];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) random.nextGaussian();
        }
        return ParameterBytes.setParameters(ModelSnapshot.newBuilder(), p).setStream(stream).setVersion(version).setTask("a")
                .setSeenTasks(new ArrayList<>(List.of("a"))).setLearningRate(0.01).setLoss(0.5).setModelSpec(spec)
                .setTimestamp(1_700_000_000_000L + version).build();
    }

    @Test
    void aFiftyMillionParameterSnapshotCrossesAOneMibTopicInChunksAndReadsBackBitIdentical() throws Exception {
        Topics topics = broker.createTopics("chunked-big.", 1, ONE_MIB);
        ModelSnapshot small = snapshot("s", 1, "mlp in=8 hidden=16 classes=2 batch=8", 8 * 16 + 16 + 16 * 2 + 2, 1);
        ModelSnapshot big = snapshot("s", 2, BIG_SPEC, BIG_PARAMETERS, 2);
        byte[] bigBytes = AvroSerde.modelSnapshot().serialize(big);
        assertThat(bigBytes.length).isGreaterThan(200_000_000);

        long t0 = System.nanoTime();
        try (KafkaLearnerOutput output = new KafkaLearnerOutput(topics, broker.client(), SnapshotChunks.DEFAULT_CHUNK_BYTES)) {
            output.snapshot(small, Map.of("clpipe.prequential.samples", "7"));
            output.snapshot(big, Map.of("clpipe.prequential.samples", "9"));
            output.flush();
        }
        long published = System.nanoTime() - t0;

        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        List<SnapshotAssembler.Outcome> outcomes = new ArrayList<>();
        SnapshotAssembler assembler = new SnapshotAssembler(topics.models());
        long t1 = System.nanoTime();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            TopicPartition tp = new TopicPartition(topics.models(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            while (c.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    records.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), null)); // values are not kept
                    assertThat(r.value().length).isLessThanOrEqualTo(SnapshotChunks.DEFAULT_CHUNK_BYTES);
                    outcomes.addAll(assembler.offer(r));
                }
            }
        }
        long reassembled = System.nanoTime() - t1;

        int chunks = (bigBytes.length + SnapshotChunks.DEFAULT_CHUNK_BYTES - 1) / SnapshotChunks.DEFAULT_CHUNK_BYTES;
        assertThat(records).as("the small snapshot as one record, the big one as chunks and a manifest").hasSize(1 + chunks + 1);
        assertThat(outcomes).hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOf(SnapshotAssembler.Outcome.Whole.class));
        SnapshotAssembler.Outcome.Whole first = (SnapshotAssembler.Outcome.Whole) outcomes.get(0);
        SnapshotAssembler.Outcome.Whole second = (SnapshotAssembler.Outcome.Whole) outcomes.get(1);
        assertThat(first.value()).isEqualTo(AvroSerde.modelSnapshot().serialize(small));
        assertThat(first.headers().lastHeader(SnapshotChunks.CHUNK_HEADER)).isNull();
        assertThat(new String(second.headers().lastHeader("clpipe.prequential.samples").value())).isEqualTo("9");
        assertThat(Arrays.equals(second.value(), bigBytes)).as("reassembled bytes identical to the published ones").isTrue();
        ModelSnapshot back = AvroSerde.modelSnapshot().deserialize(second.value());
        assertThat(back.getVersion()).isEqualTo(2);
        assertThat(Arrays.equals(ParameterBytes.verifiedParameters(back), ParameterBytes.verifiedParameters(big))).isTrue();
        System.out.printf(Locale.ROOT, "chunked snapshot: %,d parameters, %,d bytes in %d chunks of %,d on a 1 MiB topic: "
                        + "published (serialise + send + acked) in %.2f s, read and reassembled (SHA-256 checked) in %.2f s%n",
                BIG_PARAMETERS, bigBytes.length, chunks, SnapshotChunks.DEFAULT_CHUNK_BYTES, published / 1e9, reassembled / 1e9);
    }

    @Test
    void aChunkSizeTheModelsTopicCannotTakeIsRefusedAtStartWithTheFix(@TempDir Path dir) throws Exception {
        Topics topics = broker.createTopics("chunked-refused.", 1, ONE_MIB);
        LearnerServiceConfig config = LearnerServiceConfig.defaults(dir).withTopics(topics).withGroupId("refused")
                .withSnapshotFlow(SnapshotFlow.DEFAULTS.withChunkBytes(2 << 20));
        try (LearnerService service = new LearnerService(config, broker.client(), new SimpleMeterRegistry())) {
            service.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (service.failure().isEmpty()) {
                assertThat(System.nanoTime() - deadline).as("the learner refuses to start").isNegative();
                Thread.sleep(50);
            }
            assertThat(service.failure().get()).hasMessageContaining("snapshot.chunk.bytes=2097152")
                    .hasMessageContaining("max.message.bytes=1048576").hasMessageContaining("at most 1032192");
            assertThat(service.isRunning()).isFalse();
        }
    }

    /** As the evaluator's models consumer reads: read_committed, a partition fetch of one old-style 16 MiB snapshot. */
    private static KafkaConsumer<String, byte[]> consumer() {
        Properties p = broker.client();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Topics.MAX_SNAPSHOT_BYTES));
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
