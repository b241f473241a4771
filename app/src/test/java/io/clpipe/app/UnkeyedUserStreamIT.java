package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.broker.TopicCreation;
import io.clpipe.ingest.service.IngestService;
import io.clpipe.ingest.service.IngestServiceConfig;
import io.clpipe.learner.service.LearnerService;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.ControlJson;
import io.clpipe.schemas.DlqHeaders;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's path on a real broker: a task-free stream produced WITHOUT keys (as kcat does by default),
 * with a user task-start in its middle. Ingest re-keys the records by their stream field, enforces the
 * stream's dimension, announces one boundary; the learner's task changes at exactly the sample where
 * the task-start was produced.
 */
class UnkeyedUserStreamIT {

    private static final String STREAM = "sensors";
    private static final int BEFORE = 150; // 4 full steps of 32 and a partial one of 22 at the boundary
    private static final int AFTER = 96;   // 3 steps of the new task
    private static final int BATCH = 32;

    @TempDir
    Path tmp;

    @Test
    void aUserTaskStartInAnUnkeyedTaskFreeStreamIsABoundaryAtExactlyItsPosition() throws Exception {
        Topics topics = Topics.withPrefix("user.");
        try (TestKafkaCluster kafka = KafkaClusters.start()) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicCreation.create(admin, topics.specs().stream().map(TopicSpec::newTopic).toList());
            }
            Properties client = new Properties();
            client.put("bootstrap.servers", kafka.bootstrapServers());
            Properties ingestProps = new Properties();
            ingestProps.setProperty("topics.prefix", "user.");
            ingestProps.setProperty("state.dir", tmp.resolve("streams").toString());
            ingestProps.setProperty("eval.permille", "0");
            IngestServiceConfig ingestConfig = IngestServiceConfig.fromProperties(ingestProps);
            assertThat(ingestConfig.applicationId()).isEqualTo("user-ingest");
            Properties learnerProps = new Properties();
            learnerProps.setProperty("topics.prefix", "user.");
            learnerProps.setProperty("model.hidden", "8");
            learnerProps.setProperty("model.classes", "2");
            learnerProps.setProperty("batch.size", Integer.toString(BATCH));
            learnerProps.setProperty("replay.policy", "none");
            learnerProps.setProperty("eval.period", "1");
            learnerProps.setProperty("checkpoint.dir", tmp.resolve("ckpt").toString());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Map<String, List<ConsumerRecord<String, byte[]>>> out = new LinkedHashMap<>();
            List<String> wanted = List.of(topics.train(), topics.dlq(), topics.control(), topics.models());
            wanted.forEach(t -> out.put(t, new ArrayList<>()));
            AvroSerde<ModelSnapshot> snapshots = AvroSerde.modelSnapshot();
            try (IngestService ingest = new IngestService(ingestConfig, client, registry);
                 KafkaConsumer<String, byte[]> consumer = consumer(kafka.bootstrapServers())) {
                ingest.start();
                assertThat(ingest.awaitReady(Duration.ofSeconds(60))).isTrue();
                try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                    // no key; one partition, so the records' order is the order of production (docs/records.md, "Keys")
                    for (byte[] value : values()) {
                        producer.send(new ProducerRecord<>(topics.samples(), 0, null, value));
                    }
                    producer.flush();
                }
                consumer.subscribe(wanted);
                await(consumer, out, () -> out.get(topics.train()).size() == BEFORE + AFTER && !out.get(topics.dlq()).isEmpty());
                // The learner starts once every training sample is on the topic: how it batches them cannot
                // depend on when they arrive.
                try (LearnerService learner = new LearnerService(LearnerServiceConfig.fromProperties(learnerProps), client, registry)) {
                    learner.start();
                    await(consumer, out, () -> {
                        assertThat(learner.failure()).isEmpty();
                        return out.get(topics.models()).stream().anyMatch(r -> snapshots.deserialize(r.value()).getVersion() == 8);
                    });
                }

                AvroSerde<Sample> samples = AvroSerde.sample();
                List<ConsumerRecord<String, byte[]>> train = out.get(topics.train());
                assertThat(train).hasSize(BEFORE + AFTER).extracting(ConsumerRecord::key).containsOnly(STREAM);
                List<String> tasks = train.stream().map(r -> samples.deserialize(r.value()).getTask()).toList();
                assertThat(tasks.subList(0, BEFORE)).containsOnlyNulls();
                assertThat(tasks.subList(BEFORE, BEFORE + AFTER)).containsOnly("b");

                assertThat(out.get(topics.dlq())).singleElement().satisfies(r -> {
                    assertThat(header(r, DlqHeaders.REASON_CODE)).as("the stream's dimension holds for unkeyed records").isEqualTo("WRONG_DIMENSION");
                    assertThat(header(r, DlqHeaders.SOURCE_TOPIC)).isEqualTo(topics.samples());
                    assertThat(header(r, DlqHeaders.SOURCE_OFFSET)).isEqualTo(Integer.toString(BEFORE));
                });
                AvroSerde<ControlEvent> controls = AvroSerde.controlEvent();
                assertThat(out.get(topics.control())).singleElement().satisfies(r -> {
                    ControlEvent e = controls.deserialize(r.value());
                    assertThat(e.getType()).isEqualTo(ControlType.TASK_START);
                    assertThat(e.getTask()).isEqualTo("b");
                    assertThat(e.getPreviousTask()).isNull();
                    assertThat(e.getSource()).isEqualTo("user");
                    assertThat(r.key()).isEqualTo(STREAM);
                });

                // ρ = 1: a snapshot per iteration. Iterations 1-4 are full steps of the task-free part, 5 its last 22
                // samples (trained on their own at the boundary), 6-8 the first 96 samples after the task-start.
                Map<Long, String> taskByVersion = new LinkedHashMap<>();
                Map<Long, List<String>> seenByVersion = new LinkedHashMap<>();
                for (ConsumerRecord<String, byte[]> r : out.get(topics.models())) {
                    ModelSnapshot s = snapshots.deserialize(r.value());
                    taskByVersion.put(s.getVersion(), s.getTask() == null ? "-" : s.getTask());
                    seenByVersion.put(s.getVersion(), List.copyOf(s.getSeenTasks()));
                }
                // the task-free segment stays listed after the boundary, so the evaluator measures its gap
                assertThat(seenByVersion.get(8L)).containsExactly("task-free", "b");
                for (long v = 1; v <= 5; v++) {
                    assertThat(taskByVersion.get(v)).as("version %d trained task-free samples", v).isEqualTo("-");
                }
                for (long v = 6; v <= 8; v++) {
                    assertThat(taskByVersion.get(v)).as("version %d trained samples after the task-start", v).isEqualTo("b");
                }
                assertThat(registry.get("clpipe.learner.boundaries").tag("stream", STREAM).counter().count()).isEqualTo(1);
            }
        }
    }

    private static void await(KafkaConsumer<String, byte[]> consumer, Map<String, List<ConsumerRecord<String, byte[]>>> out,
                              java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("records arrived in time; have %s",
                    out.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size()).toList()).isLessThan(deadline);
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                out.get(r.topic()).add(r);
            }
        }
    }

    /** 150 task-free samples, one of the wrong dimension, the task-start, 96 more task-free samples. */
    private static List<byte[]> values() {
        SplittableRandom random = new SplittableRandom(7);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < BEFORE; i++) {
            values.add(sample(random, 4, 0));
        }
        values.add(sample(random, 3, 0));
        values.add(ControlJson.write(ControlEvent.newBuilder().setStream(STREAM).setType(ControlType.TASK_START).setTask("b")
                .setTimestamp(0).build()));
        for (int i = 0; i < AFTER; i++) {
            values.add(sample(random, 4, 1));
        }
        return values;
    }

    private static byte[] sample(SplittableRandom random, int dim, int shift) {
        StringBuilder features = new StringBuilder();
        int label = random.nextInt(2);
        for (int d = 0; d < dim; d++) {
            features.append(d == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", random.nextDouble() + label + shift));
        }
        return ("{\"stream\":\"" + STREAM + "\",\"features\":[" + features + "],\"label\":" + label + ",\"split\":\"train\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(p);
    }
}
