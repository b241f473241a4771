package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.broker.TopicCreation;
import io.clpipe.datasets.Mnist;
import io.clpipe.evaluator.service.EvaluatorService;
import io.clpipe.evaluator.service.EvaluatorServiceConfig;
import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.service.IngestService;
import io.clpipe.learner.service.LearnerService;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.clpipe.schemas.DlqHeaders;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.ValidationConfig;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
 * The three services on a real broker, fed Split-MNIST (two tasks) interleaved with hostile records:
 * exactly the good samples reach the learner and evaluator, every bad one lands in the DLQ with its
 * reason, no service stops, and per-iteration metrics cover both tasks with the boundary where the
 * task changed.
 */
class PipelineIT {

    private static final String STREAM = "digits";
    private static final int TRAIN_PER_TASK = 320;
    private static final int EVAL_PER_TASK = 100;

    @TempDir
    Path tmp;

    @Test
    void goodSamplesBecomeMetricsAndEveryHostileRecordLandsInTheDlqWithItsReason() throws Exception {
        Mnist mnist = Mnist.load();
        List<ProducerRecord<String, byte[]>> good = splitMnist(mnist);
        Map<String, ProducerRecord<String, byte[]>> hostile = hostileRecords();
        List<ProducerRecord<String, byte[]>> all = interleave(good, new ArrayList<>(hostile.values()));

        Topics topics = Topics.defaults();
        try (TestKafkaCluster kafka = KafkaClusters.start()) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicCreation.create(admin, topics.specs().stream().map(TopicSpec::newTopic).toList());
            }
            Properties client = new Properties();
            client.put("bootstrap.servers", kafka.bootstrapServers());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            RoutingConfig routing = RoutingConfig.defaults().withEvalPerMille(0).withValidation(ValidationConfig.defaults()
                    .withFeatureDim(STREAM, 784).withNumClasses(10).withMaxRecordBytes(64 * 1024));
            Properties learnerProps = new Properties();
            learnerProps.setProperty("model.hidden", "64");
            learnerProps.setProperty("batch.size", "32");
            learnerProps.setProperty("lr", "0.05");
            learnerProps.setProperty("replay.policy", "class-balanced");
            learnerProps.setProperty("eval.period", "5");
            learnerProps.setProperty("eval.dense.window", "5");
            learnerProps.setProperty("checkpoint.dir", tmp.resolve("ckpt").toString());
            Properties evalProps = new Properties();
            evalProps.setProperty("state.dir", tmp.resolve("eval").toString());
            evalProps.setProperty("eval.set.size", Integer.toString(EVAL_PER_TASK));
            try (IngestService ingest = new IngestService(topics, routing, client, registry);
                 LearnerService learner = new LearnerService(LearnerServiceConfig.fromProperties(learnerProps), client, registry);
                 EvaluatorService evaluator = new EvaluatorService(EvaluatorServiceConfig.fromProperties(evalProps), client, registry)) {
                ingest.start();
                learner.start();
                evaluator.start();
                assertThat(ingest.awaitReady(Duration.ofSeconds(60))).isTrue();
                try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
                    for (ProducerRecord<String, byte[]> r : all) {
                        producer.send(r);
                    }
                    producer.flush();
                }

                Map<String, List<ConsumerRecord<String, byte[]>>> out = new LinkedHashMap<>();
                List<String> wanted = List.of(topics.train(), topics.eval(), topics.dlq(), topics.metrics());
                wanted.forEach(t -> out.put(t, new ArrayList<>()));
                long lastIteration = (2L * TRAIN_PER_TASK) / 16 - 1; // 16 new samples per step (half of 32 replayed)
                try (KafkaConsumer<String, byte[]> consumer = consumer(kafka.bootstrapServers())) {
                    consumer.subscribe(wanted);
                    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                    while (!done(out, topics, hostile.size(), lastIteration)) {
                        assertThat(System.nanoTime()).as("pipeline finished in time; have %s", sizes(out)).isLessThan(deadline);
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                            out.get(r.topic()).add(r);
                        }
                        assertThat(learner.failure()).isEmpty();
                        assertThat(evaluator.failure()).isEmpty();
                    }
                }
                assertThat(learner.isRunning()).isTrue();
                assertThat(evaluator.isRunning()).isTrue();
                assertThat(ingest.state().isRunningOrRebalancing()).isTrue();

                assertThat(out.get(topics.train())).hasSize(2 * TRAIN_PER_TASK);
                assertThat(out.get(topics.eval())).hasSize(2 * EVAL_PER_TASK);
                Map<String, String> reasons = new LinkedHashMap<>();
                for (ConsumerRecord<String, byte[]> r : out.get(topics.dlq())) {
                    String id = new String(r.headers().lastHeader("test-id").value(), StandardCharsets.UTF_8);
                    reasons.put(id, new String(r.headers().lastHeader(DlqHeaders.REASON_CODE).value(), StandardCharsets.UTF_8));
                    assertThat(r.value()).as("DLQ keeps the bytes of %s", id).isEqualTo(hostile.get(id).value());
                }
                Map<String, String> expected = new LinkedHashMap<>();
                hostile.keySet().forEach(id -> expected.put(id, id.substring(0, id.indexOf('#'))));
                assertThat(reasons).isEqualTo(expected);

                List<IterationMetrics> metrics = out.get(topics.metrics()).stream().map(r -> MetricsJson.parse(r.value())).toList();
                assertThat(metrics).extracting(IterationMetrics::getTask).contains("0-1", "2-3");
                IterationMetrics last = metrics.get(metrics.size() - 1);
                assertThat(last.getTasks()).containsOnlyKeys("0-1", "2-3");
                assertThat(last.getTasks().get("2-3").getAccuracy()).as("learned the second task").isGreaterThan(0.6);
                int boundaryAt = -1;
                for (int i = 1; i < metrics.size(); i++) {
                    if (!metrics.get(i).getTask().equals(metrics.get(i - 1).getTask())) {
                        assertThat(boundaryAt).as("one boundary").isEqualTo(-1);
                        boundaryAt = i;
                    }
                }
                // Version n is the model after n steps: 20 steps of 0-1, so the first 2-3 model is version 21.
        assertThat(metrics.get(boundaryAt).getIteration()).isEqualTo(TRAIN_PER_TASK / 16 + 1);
            }
        }
    }

    private static boolean done(Map<String, List<ConsumerRecord<String, byte[]>>> out, Topics topics, int bad, long lastIteration) {
        List<ConsumerRecord<String, byte[]>> metrics = out.get(topics.metrics());
        return out.get(topics.dlq()).size() >= bad && !metrics.isEmpty()
                && MetricsJson.parse(metrics.get(metrics.size() - 1).value()).getIteration() >= lastIteration;
    }

    private static Map<String, Integer> sizes(Map<String, List<ConsumerRecord<String, byte[]>>> out) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        out.forEach((k, v) -> sizes.put(k, v.size()));
        return sizes;
    }

    /** Task 0-1 then 2-3: eval samples first (forced split), then training samples, as JSON. */
    private static List<ProducerRecord<String, byte[]>> splitMnist(Mnist mnist) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int task = 0; task < 2; task++) {
            records.addAll(samplesOf(mnist.test(), task, EVAL_PER_TASK, Split.EVAL));
            records.addAll(samplesOf(mnist.train(), task, TRAIN_PER_TASK, Split.TRAIN));
        }
        return records;
    }

    private static List<ProducerRecord<String, byte[]>> samplesOf(io.clpipe.datasets.LabeledImages images, int task, int n, Split split) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < images.count() && records.size() < n; i++) {
            int label = images.labels()[i];
            if (label / 2 == task) {
                Sample s = Sample.newBuilder().setStream(STREAM).setTask(2 * task + "-" + (2 * task + 1))
                        .setFeatures(Features.of(images.image(i))).setLabel(label).setSplit(split)
                        .setSampleId(split + ":" + i).build();
                records.add(new ProducerRecord<>(STREAM.toString(), STREAM, SampleJson.write(s)));
            }
        }
        return records.stream().map(r -> new ProducerRecord<>(Topics.defaults().samples(), r.key(), r.value())).toList();
    }

    /** One record per kind of validation failure docs/records.md lists (and then some), keyed "REASON#n" with the reason code expected. */
    private static Map<String, ProducerRecord<String, byte[]>> hostileRecords() {
        float[] pixels = new float[784];
        String features = Arrays.toString(pixels).replace(" ", "");
        Map<String, String> json = new LinkedHashMap<>();
        json.put("UNPARSABLE#1", "{\"features\": [1, 2,");
        json.put("UNPARSABLE#2", "not json at all");
        json.put("MISSING_FIELD#1", "{\"task\":\"0-1\",\"features\":" + features + "}");
        json.put("WRONG_TYPE#1", "{\"features\":" + features + ",\"label\":\"seven\"}");
        json.put("WRONG_TYPE#2", "{\"features\":\"0,0,0\",\"label\":1}");
        json.put("WRONG_DIMENSION#1", "{\"features\":[0.1,0.2,0.3],\"label\":1}");
        json.put("NON_FINITE_FEATURE#1", "{\"features\":" + features.replaceFirst("0\\.0", "NaN") + ",\"label\":1}");
        json.put("NON_FINITE_FEATURE#2", "{\"features\":" + features.replaceFirst("0\\.0", "Infinity") + ",\"label\":1}");
        json.put("LABEL_OUT_OF_RANGE#1", "{\"features\":" + features + ",\"label\":10}");
        json.put("LABEL_OUT_OF_RANGE#2", "{\"features\":" + features + ",\"label\":-1}");
        json.put("EMPTY_TEXT#1", "{\"text\":\"\"}");
        json.put("NO_FEATURES_OR_TEXT#1", "{\"label\":1}");
        json.put("BOTH_FEATURES_AND_TEXT#1", "{\"features\":" + features + ",\"text\":\"hello\",\"label\":1}");
        json.put("UNKNOWN_SPLIT#1", "{\"features\":" + features + ",\"label\":1,\"split\":\"holdout\"}");
        json.put("KEY_MISMATCH#1", "{\"stream\":\"other\",\"features\":" + features + ",\"label\":1}");
        json.put("OVERSIZED#1", "{\"features\":" + features + ",\"label\":1,\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");
        Map<String, ProducerRecord<String, byte[]>> records = new LinkedHashMap<>();
        json.forEach((id, value) -> records.put(id, tagged(id, value.getBytes(StandardCharsets.UTF_8))));
        SplittableRandom random = new SplittableRandom(99);
        for (int i = 1; i <= 5; i++) {
            byte[] noise = new byte[1 + random.nextInt(300)];
            for (int j = 0; j < noise.length; j++) {
                noise[j] = (byte) random.nextInt(256);
            }
            noise[0] = (byte) 0xEE; // neither JSON nor a clpipe Avro version byte
            records.put("UNPARSABLE#noise" + i, tagged("UNPARSABLE#noise" + i, noise));
        }
        return records;
    }

    private static ProducerRecord<String, byte[]> tagged(String id, byte[] value) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topics.defaults().samples(), STREAM, value);
        r.headers().add("test-id", id.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** Spreads the hostile records evenly through the good ones. */
    private static List<ProducerRecord<String, byte[]>> interleave(List<ProducerRecord<String, byte[]>> good,
                                                                    List<ProducerRecord<String, byte[]>> bad) {
        List<ProducerRecord<String, byte[]>> all = new ArrayList<>(good);
        int step = good.size() / (bad.size() + 1);
        for (int i = bad.size() - 1; i >= 0; i--) {
            all.add((i + 1) * step, bad.get(i));
        }
        return all;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(1 << 20));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "pipeline-it");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }
}
