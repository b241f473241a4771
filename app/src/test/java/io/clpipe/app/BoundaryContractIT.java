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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The boundary contract through the learner and evaluator services on a real broker (docs/metrics.md,
 * "Boundaries: the exact contract"): task t0 of a stream takes b = ceil(t0 samples / 32) steps (its
 * tail trained as a short step at the switch), whatever ρ the evaluator publishes version b labelled
 * t0, the next evaluated version is labelled t1, and every metrics record after b reports
 * {@code gap_boundary} = b.
 */
class BoundaryContractIT {

    private static final int DIM = 8;
    private static final int T1 = 192;
    private static TestKafkaCluster kafka;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        kafka = KafkaClusters.start();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @ParameterizedTest(name = "rho {0}, {1} t0 samples")
    @CsvSource({"1,200", "5,410", "5,320"})
    void theBoundaryIsTheOldTasksLastIterationForEveryRho(int rho, int t0Samples) throws Exception {
        long b = (t0Samples + 31) / 32;
        String prefix = "bc" + rho + "-" + t0Samples + ".";
        Topics topics = Topics.withPrefix(prefix);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicCreation.create(admin, topics.specs().stream().map(TopicSpec::newTopic).toList());
        }
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        Properties learnerProps = new Properties();
        learnerProps.setProperty("topics.prefix", prefix);
        learnerProps.setProperty("group.id", prefix + "learner");
        learnerProps.setProperty("model.hidden", "16");
        learnerProps.setProperty("model.classes", "2");
        learnerProps.setProperty("batch.size", "32");
        learnerProps.setProperty("lr", "0.1");
        learnerProps.setProperty("schedule", "cosine");
        learnerProps.setProperty("warmup.steps", "2");
        learnerProps.setProperty("total.steps", "40");
        learnerProps.setProperty("rewarm.steps", "3");
        learnerProps.setProperty("eval.period", Integer.toString(rho));
        learnerProps.setProperty("eval.dense.window", "0");
        learnerProps.setProperty("poll.timeout.ms", "100");
        learnerProps.setProperty("checkpoint.dir", tmp.resolve(prefix + "ckpt").toString());
        Properties evalProps = new Properties();
        evalProps.setProperty("topics.prefix", prefix);
        evalProps.setProperty("poll.timeout.ms", "100");
        evalProps.setProperty("group.id", prefix + "evaluator");
        evalProps.setProperty("state.dir", tmp.resolve(prefix + "eval").toString());
        evalProps.setProperty("eval.set.size", "50");
        long last = b + T1 / 32; // t1: 6 full steps
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LearnerService learner = new LearnerService(LearnerServiceConfig.fromProperties(learnerProps), client, registry);
             EvaluatorService evaluator = new EvaluatorService(EvaluatorServiceConfig.fromProperties(evalProps), client, registry)) {
            learner.start();
            evaluator.start();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client, new StringSerializer(), new ByteArraySerializer())) {
                samples("t0", 50, 1).forEach(s -> producer.send(new ProducerRecord<>(topics.eval(), "s", AvroSerde.sample().serialize(s))));
                samples("t1", 50, 2).forEach(s -> producer.send(new ProducerRecord<>(topics.eval(), "s", AvroSerde.sample().serialize(s))));
                producer.flush();
                List<Sample> train = new ArrayList<>(samples("t0", t0Samples, 3));
                train.addAll(samples("t1", T1, 4));
                train.forEach(s -> producer.send(new ProducerRecord<>(topics.train(), "s", AvroSerde.sample().serialize(s))));
                producer.flush();
            }
            List<IterationMetrics> metrics = awaitMetrics(topics, last / rho * rho, learner, evaluator);
            List<Long> versions = metrics.stream().map(IterationMetrics::getIteration).toList();
            assertThat(versions).as("b = %d, b mod rho = %d", b, b % rho).contains(b);
            for (IterationMetrics m : metrics) {
                assertThat(m.getTask()).as("label of v%d", m.getIteration()).isEqualTo(m.getIteration() <= b ? "t0" : "t1");
                if (m.getIteration() > b) {
                    assertThat(m.getAggregates().get("gap_boundary")).as("gap_boundary at v%d", m.getIteration()).isEqualTo((double) b);
                } else {
                    assertThat(m.getAggregates()).doesNotContainKey("gap_boundary");
                }
                assertThat(m.getIteration() % rho == 0 || m.getIteration() == b).as("v%d published", m.getIteration()).isTrue();
            }
            IterationMetrics atB = metrics.get(versions.indexOf(b));
            if (t0Samples % 32 != 0) {
                // published at the boundary itself: it lists t1, which is scored on t0's last model
                assertThat(atB.getTasks().get("t1").getSamples()).as("t1 scored on t0's last model").isEqualTo(50L);
            } else {
                // t0 ended on a full batch: the cadence published v_b before t1's first record was read
                assertThat(atB.getTasks()).doesNotContainKey("t1");
            }
            IterationMetrics end = metrics.get(metrics.size() - 1);
            assertThat(end.getAggregates().get("fwt")).as("FWT known").isFinite();
        }
    }

    private static List<IterationMetrics> awaitMetrics(Topics topics, long lastVersion, LearnerService learner,
                                                       EvaluatorService evaluator) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, topics.metrics() + "-reader");
        List<IterationMetrics> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topics.metrics()));
            while (out.isEmpty() || out.get(out.size() - 1).getIteration() < lastVersion) {
                assertThat(System.nanoTime()).as("metrics up to v%d in time; have %d records", lastVersion, out.size()).isLessThan(deadline);
                assertThat(learner.failure()).isEmpty();
                assertThat(evaluator.failure()).isEmpty();
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    out.add(MetricsJson.parse(r.value()));
                }
            }
        }
        return out;
    }

    private static List<Sample> samples(String task, int n, long seed) {
        Random random = new Random(seed);
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] x = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                x[j] = (float) random.nextGaussian();
            }
            int label = (task.equals("t0") ? x[0] + x[1] : x[2] - x[3]) > 0 ? 1 : 0;
            out.add(Sample.newBuilder().setStream("s").setTask(task).setFeatures(Features.of(x)).setLabel(label)
                    .setSampleId(task + ":" + seed + ":" + i).build());
        }
        return out;
    }
}
