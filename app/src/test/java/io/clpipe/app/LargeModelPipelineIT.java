package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.broker.TopicCreation;
import io.clpipe.evaluator.service.EvaluatorService;
import io.clpipe.evaluator.service.EvaluatorServiceConfig;
import io.clpipe.learner.service.LearnerService;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 4.3 MB model end to end on a models topic capped at 1 MiB per record (a managed Kafka's limit): the learner
 * publishes every step's snapshot as chunks and a manifest, waits for the evaluator beyond {@code eval.max.lag=2},
 * and the evaluator publishes one metrics record per version, in order (ρ = 1).
 */
class LargeModelPipelineIT {

    private static final String STREAM = "wide";
    private static final int DIM = 16;
    private static final int TRAIN = 320;
    /** 320 samples, batch 32 (no replay): 10 steps, snapshots of versions 0..10. */
    private static final int STEPS = 10;

    @TempDir
    Path tmp;

    @Test
    void aMultiMegabyteModelFlowsFromLearnerToMetricsThroughOneMibRecords() throws Exception {
        Topics topics = Topics.defaults();
        try (TestKafkaCluster kafka = KafkaClusters.start()) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicCreation.create(admin, topics.specs().stream().map(s -> s.name().equals(topics.models()) ? capped(s) : s)
                        .map(TopicSpec::newTopic).toList());
            }
            Properties client = new Properties();
            client.put("bootstrap.servers", kafka.bootstrapServers());
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer())) {
                samples("eval", 100, 7).forEach(s -> p.send(new ProducerRecord<>(topics.eval(), STREAM, AvroSerde.sample().serialize(s))));
                p.flush();
                samples("train", TRAIN, 8).forEach(s -> p.send(new ProducerRecord<>(topics.train(), STREAM, AvroSerde.sample().serialize(s))));
            }
            Properties learnerProps = new Properties();
            learnerProps.setProperty("model.hidden", "1024,1024");
            learnerProps.setProperty("model.classes", "2");
            learnerProps.setProperty("batch.size", "32");
            learnerProps.setProperty("replay.policy", "none");
            learnerProps.setProperty("eval.period", "1");
            learnerProps.setProperty("eval.max.lag", "2");
            learnerProps.setProperty("batch.linger.ms", "-1");
            learnerProps.setProperty("checkpoint.dir", tmp.resolve("ckpt").toString());
            Properties evalProps = new Properties();
            evalProps.setProperty("state.dir", tmp.resolve("eval").toString());
            evalProps.setProperty("eval.set.size", "100");
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            List<IterationMetrics> metrics = new ArrayList<>();
            try (LearnerService learner = new LearnerService(LearnerServiceConfig.fromProperties(learnerProps), client, registry);
                 EvaluatorService evaluator = new EvaluatorService(EvaluatorServiceConfig.fromProperties(evalProps), client, registry);
                 KafkaConsumer<String, byte[]> reader = metricsReader(kafka.bootstrapServers())) {
                learner.start();
                evaluator.start();
                TopicPartition tp = new TopicPartition(topics.metrics(), 0);
                reader.assign(List.of(tp));
                long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                while (metrics.isEmpty() || metrics.get(metrics.size() - 1).getIteration() < STEPS) {
                    assertThat(System.nanoTime()).as("every version evaluated in time; have %s", metrics.size()).isLessThan(deadline);
                    assertThat(learner.failure()).isEmpty();
                    assertThat(evaluator.failure()).isEmpty();
                    for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                        metrics.add(MetricsJson.parse(r.value()));
                    }
                }
                assertThat(registry.get("clpipe.learner.eval.lag").gauge().value()).isLessThanOrEqualTo(2);
            }
            assertThat(metrics).as("one metrics record per version, in order").extracting(IterationMetrics::getIteration)
                    .containsExactlyElementsOf(LongStream.rangeClosed(0, STEPS).boxed().toList());
            assertThat(metrics.get(STEPS).getTasks().get("t").getAccuracy()).as("the wide model learned the task").isGreaterThan(0.8);
            try (KafkaConsumer<String, byte[]> models = metricsReader(kafka.bootstrapServers())) {
                TopicPartition m = new TopicPartition(topics.models(), 0);
                long records = models.endOffsets(List.of(m)).get(m);
                assertThat(records).as("each of the 11 snapshots is 5 chunks and a manifest").isEqualTo(11L * 6);
            }
        }
    }

    private static TopicSpec capped(TopicSpec s) {
        Map<String, String> configs = new HashMap<>(s.configs());
        configs.put("max.message.bytes", Integer.toString(1 << 20));
        return new TopicSpec(s.name(), s.partitions(), configs, Map.of());
    }

    /** Task "t": the label is the sign of the sum of the first four features. */
    private static List<Sample> samples(String prefix, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                x[j] = (float) random.nextGaussian();
            }
            int label = x[0] + x[1] + x[2] + x[3] > 0 ? 1 : 0;
            out.add(Sample.newBuilder().setStream(STREAM).setTask("t").setFeatures(Features.of(x)).setLabel(label)
                    .setSampleId(prefix + i).build());
        }
        return out;
    }

    private static KafkaConsumer<String, byte[]> metricsReader(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
