package io.clpipe.predictor.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.broker.TopicCreation;
import io.clpipe.models.Batch;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.ModelSpecCodec;
import io.clpipe.models.Models;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.DlqHeaders;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.PredictionRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Predicate;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The predictor on a real broker: hand-built snapshots and requests in, predictions out
 * (read_committed), each checked against the forward pass of the parameters its version names.
 */
class PredictorServiceIT {

    private static final String STREAM = "digits";
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final ModelSpec SPEC = new ModelSpec.Mlp(6, new int[] {8}, 4, 32);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestKafkaCluster kafka;
    private static Admin admin;

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

    private static Topics topics(String prefix) throws Exception {
        Topics topics = Topics.withPrefix(prefix);
        TopicCreation.create(admin, topics.specs().stream().map(TopicSpec::newTopic).toList());
        return topics;
    }

    private static PredictorService start(Topics topics, String transactionalId) throws InterruptedException {
        PredictorServiceConfig config = PredictorServiceConfig.defaults(topics).withIds("serve-" + topics.requests(), transactionalId);
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        PredictorService service = new PredictorService(config, client, new SimpleMeterRegistry());
        service.start();
        assertThat(service.awaitReady(WAIT)).as("predictor ready; failure %s", service.failure()).isTrue();
        return service;
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.MAX_SNAPSHOT_BYTES));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Version {@code version} of the stream with the weights of seed {@code version}; returns them. Acknowledged on return. */
    private static float[] publish(Topics topics, long version) throws Exception {
        float[] parameters;
        try (Model m = Models.create(SPEC, version)) {
            parameters = m.parametersToArray();
        }
        ModelSnapshot s = ParameterBytes.setParameters(ModelSnapshot.newBuilder(), parameters).setStream(STREAM)
                .setVersion(version).setTask("t").setSeenTasks(List.of("t")).setLearningRate(0.1).setLoss(1.0)
                .setModelSpec(ModelSpecCodec.encode(SPEC)).setTimestamp(0).build();
        try (KafkaProducer<String, byte[]> p = producer()) {
            p.send(new ProducerRecord<>(topics.models(), STREAM, AvroSerde.modelSnapshot().serialize(s))).get();
        }
        return parameters;
    }

    private static float[] features(int i) {
        Random r = new Random(i);
        float[] f = new float[SPEC.inputDim()];
        for (int j = 0; j < f.length; j++) {
            f[j] = (float) r.nextGaussian();
        }
        return f;
    }

    private static byte[] request(String id, float[] features) throws Exception {
        Map<String, Object> m = new HashMap<>();
        m.put("stream", STREAM);
        m.put("id", id);
        m.put("features", features);
        m.put("top", 2);
        return JSON.writeValueAsBytes(m);
    }

    /** Requests {@code from..to-1} (ids "r<i>"), acknowledged on return. */
    private static void sendRequests(Topics topics, int from, int to) throws Exception {
        try (KafkaProducer<String, byte[]> p = producer()) {
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
            for (int i = from; i < to; i++) {
                sent.add(p.send(new ProducerRecord<>(topics.requests(), STREAM, request("r" + i, features(i)))));
            }
            p.flush();
            for (var s : sent) {
                s.get(); // a request the broker did not take would make the test wait for an answer that cannot come
            }
        }
    }

    private static KafkaConsumer<String, byte[]> reader(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.assign(c.partitionsFor(topic).stream().map(i -> new org.apache.kafka.common.TopicPartition(topic, i.partition())).toList());
        return c;
    }

    /** Reads (read_committed) until {@code done} holds for everything read so far. */
    private static List<ConsumerRecord<String, byte[]>> readUntil(KafkaConsumer<String, byte[]> c,
                                                                  List<ConsumerRecord<String, byte[]>> sink,
                                                                  Predicate<List<ConsumerRecord<String, byte[]>>> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(sink)) {
            assertThat(System.nanoTime() - deadline).as("waited %s; read %d records", WAIT, sink.size()).isNegative();
            c.poll(Duration.ofMillis(200)).forEach(sink::add);
        }
        return sink;
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> r) {
        try {
            return JSON.readTree(r.value());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static float[] expected(float[] parameters, float[] features) {
        try (Model m = Models.create(SPEC, 0)) {
            m.loadParameters(parameters);
            float[] p = new float[SPEC.classes()];
            m.predict(new Batch(features, new int[1], null, 1), p);
            return p;
        }
    }

    private static int argMax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The answer to request i is the forward pass of {@code parameters}, and it names {@code version}. */
    private static void assertAnsweredBy(JsonNode p, long version, float[] parameters) {
        int i = Integer.parseInt(p.get("id").asText().substring(1));
        float[] want = expected(parameters, features(i));
        assertThat(p.get("version").asLong()).as("version of %s", p).isEqualTo(version);
        assertThat(p.get("predicted").asInt()).isEqualTo(argMax(want));
        assertThat(p.get("probability").asDouble()).isCloseTo(want[argMax(want)], within(1e-6));
        assertThat(p.get("top")).hasSize(2);
        assertThat(p.get("error").isNull()).isTrue();
    }

    @Test
    void predictionsCarryTheVersionThatProducedThemAndANewSnapshotAnswersEveryRequestReadAfterIt() throws Exception {
        Topics topics = topics("swap.");
        try (KafkaProducer<String, byte[]> p = producer()) {
            p.send(new ProducerRecord<>(topics.requests(), STREAM, request("early", features(0)))).get();
        }
        try (PredictorService service = start(topics, "swap-1");
             KafkaConsumer<String, byte[]> predictions = reader(topics.predictions())) {
            List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
            readUntil(predictions, read, l -> l.size() == 1);
            JsonNode early = json(read.get(0));
            assertThat(early.get("version").isNull()).isTrue();
            assertThat(early.get("error").asText()).contains("no model for stream 'digits' yet");

            float[] v3 = publish(topics, 3);
            sendRequests(topics, 0, 40);
            readUntil(predictions, read, l -> l.size() == 41);
            // Bound by construction: requests written after version 3 was acknowledged are all answered by it.
            read.subList(1, 41).forEach(r -> assertAnsweredBy(json(r), 3, v3));

            float[] v7 = publish(topics, 7);
            sendRequests(topics, 40, 80);
            readUntil(predictions, read, l -> l.size() == 81);
            read.subList(41, 81).forEach(r -> assertAnsweredBy(json(r), 7, v7));

            publish(topics, 5); // a restarted learner republishing an older version: ignored
            sendRequests(topics, 80, 100);
            readUntil(predictions, read, l -> l.size() == 101);
            read.subList(81, 101).forEach(r -> assertAnsweredBy(json(r), 7, v7));
            assertThat(service.failure()).isEmpty();
        }
    }

    @Test
    void badRequestsGoToTheDeadLetterTopicWithAReasonAndAvroRequestsAreAnswered() throws Exception {
        Topics topics = topics("bad.");
        float[] v1 = publish(topics, 1);
        byte[] avro = AvroSerde.predictionRequest().serialize(PredictionRequest.newBuilder().setStream(STREAM).setId("r5")
                .setFeatures(toList(features(5))).setTop(2).build());
        try (KafkaProducer<String, byte[]> p = producer()) {
            p.send(new ProducerRecord<>(topics.requests(), STREAM, "{not json".getBytes(StandardCharsets.UTF_8)));
            p.send(new ProducerRecord<>(topics.requests(), STREAM, request("short", new float[] {1, 2})));
            p.send(new ProducerRecord<>(topics.requests(), STREAM, "{\"stream\":\"digits\",\"features\":[1,2,3,4,5,6]}"
                    .getBytes(StandardCharsets.UTF_8)));
            p.send(new ProducerRecord<>(topics.requests(), STREAM, avro)).get();
        }
        try (PredictorService service = start(topics, "bad-1");
             KafkaConsumer<String, byte[]> predictions = reader(topics.predictions());
             KafkaConsumer<String, byte[]> dlq = reader(topics.dlq())) {
            List<ConsumerRecord<String, byte[]>> answered = readUntil(predictions, new ArrayList<>(), l -> l.size() == 1);
            assertAnsweredBy(json(answered.get(0)), 1, v1);
            List<ConsumerRecord<String, byte[]>> dead = readUntil(dlq, new ArrayList<>(), l -> l.size() == 3);
            assertThat(dead).extracting(r -> new String(r.headers().lastHeader(DlqHeaders.REASON_CODE).value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("UNPARSABLE", "WRONG_DIMENSION", "MISSING_FIELD");
            assertThat(dead).extracting(r -> new String(r.headers().lastHeader(DlqHeaders.REASON).value(), StandardCharsets.UTF_8))
                    .anySatisfy(reason -> assertThat(reason).contains("2 features", "takes 6"));
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        }
    }

    private static List<Float> toList(float[] f) {
        List<Float> out = new ArrayList<>();
        for (float v : f) {
            out.add(v);
        }
        return out;
    }

    /** Every id once among the read_committed predictions, and all of {@code 0..n-1}. */
    private static void assertEachAnsweredOnce(List<ConsumerRecord<String, byte[]>> read, int n) {
        Map<String, Integer> count = new HashMap<>();
        read.forEach(r -> count.merge(json(r).get("id").asText(), 1, Integer::sum));
        assertThat(count).hasSize(n);
        assertThat(count.values()).allMatch(c -> c == 1);
    }

    @Test
    void aRestartLosesNoRequestAndAnswersNoneTwice() throws Exception {
        Topics topics = topics("restart.");
        float[] v2 = publish(topics, 2);
        int n = 3000;
        sendRequests(topics, 0, n);
        List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> predictions = reader(topics.predictions())) {
            try (PredictorService first = start(topics, "restart-1")) {
                readUntil(predictions, read, l -> !l.isEmpty());
            }
            int beforeRestart = read.size();
            try (PredictorService second = start(topics, "restart-1")) {
                readUntil(predictions, read, l -> l.size() >= n);
                // nothing more arrives after the last request's answer: the end offset is reached with no extra record
                predictions.poll(Duration.ofMillis(500)).forEach(read::add);
            }
            assertThat(beforeRestart).isLessThanOrEqualTo(n);
        }
        assertEachAnsweredOnce(read, n);
        read.forEach(r -> assertAnsweredBy(json(r), 2, v2));
    }

    @Test
    void aSecondInstanceWithTheSameTransactionalIdFencesTheFirstAndNoRequestIsLostOrAnsweredTwice() throws Exception {
        Topics topics = topics("fence.");
        publish(topics, 4);
        int n = 3000;
        sendRequests(topics, 0, n);
        List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> predictions = reader(topics.predictions());
             PredictorService first = start(topics, "fence-1")) {
            readUntil(predictions, read, l -> !l.isEmpty());
            // A zombie: the first instance is not closed; the second takes its transactional id over.
            try (PredictorService second = start(topics, "fence-1")) {
                readUntil(predictions, read, l -> l.size() >= n);
                predictions.poll(Duration.ofMillis(500)).forEach(read::add);
                assertThat(second.failure()).isEmpty();
            }
        }
        assertEachAnsweredOnce(read, n);
    }

    /**
     * The predictor JVM is killed (SIGKILL: no commit, no leaving the group, a transaction possibly
     * open) while it answers; another instance with the same group and transactional id takes over.
     * read_committed, every request is answered exactly once.
     */
    @Test
    void aKilledPredictorProcessLosesNoRequestAndAnswersNoneTwice() throws Exception {
        Topics topics = topics("kill.");
        float[] v6 = publish(topics, 6);
        int n = 6000;
        sendRequests(topics, 0, n);
        String group = "serve-" + topics.requests();
        java.nio.file.Path log = java.nio.file.Files.createTempFile("child-predictor", ".log");
        List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> predictions = reader(topics.predictions())) {
            Process child = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PredictorProcess.class.getName(),
                    kafka.bootstrapServers(), "kill.", group, "kill-1")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                readUntil(predictions, read, l -> {
                    assertThat(child.isAlive()).as("child predictor alive (log %s)", log).isTrue();
                    return l.size() >= 500;
                });
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
            assertThat(read.size()).as("killed before answering everything").isLessThan(n);
            PredictorServiceConfig config = PredictorServiceConfig.defaults(topics).withIds(group, "kill-1");
            try (PredictorService second = new PredictorService(config, PredictorProcess.clientProperties(kafka.bootstrapServers()),
                    new SimpleMeterRegistry())) {
                second.start();
                assertThat(second.awaitReady(WAIT)).isTrue();
                readUntil(predictions, read, l -> l.size() >= n);
                predictions.poll(Duration.ofMillis(500)).forEach(read::add);
            }
        }
        assertEachAnsweredOnce(read, n);
        read.forEach(r -> assertThat(json(r).get("version").asLong()).isEqualTo(6));
        assertAnsweredBy(json(read.get(n - 1)), 6, v6);
    }
}
