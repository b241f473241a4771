package io.clpipe.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.app.ServiceAcls;
import io.clpipe.broker.BrokerConfig;
import io.clpipe.broker.BrokerSecurity;
import io.clpipe.broker.EmbeddedKafkaBroker;
import io.clpipe.broker.SecurityAdmin;
import io.clpipe.broker.TestTls;
import io.clpipe.harness.ServiceJvm;
import io.clpipe.datasets.LabeledImages;
import io.clpipe.datasets.Mnist;
import io.clpipe.ingest.service.IngestService;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services on a secured broker (SASL_SSL, SCRAM-SHA-512 over TLS, StandardAuthorizer), each in
 * its own JVM and configured only through {@code --kafka-config FILE} (bootstrap servers included),
 * each user holding exactly the ACLs docs/operations.md lists. Then wrong passwords and missing ACLs:
 * each service exits with status 1 and says what is wrong, instead of retrying.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredPipelineIT {

    private static final String STREAM = "digits";
    private static final int TRAIN_PER_TASK = 320;
    private static final int EVAL_PER_TASK = 60;
    /** Generous: JVM and ND4J start-up on a loaded 2-core machine; the point is "exits", not "fast". */
    private static final Duration EXIT_WITHIN = Duration.ofMinutes(3);

    @TempDir
    static Path tmp;

    private final Topics topics = Topics.defaults();
    private EmbeddedKafkaBroker broker;
    private BrokerSecurity security;

    @BeforeAll
    void startSecuredBroker() throws Exception {
        security = TestTls.create(tmp);
        broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral().withSecurity(security));
        broker.createTopics(topics.specs().stream().map(TopicSpec::newTopic).toList());
        try (Admin admin = broker.admin()) {
            SecurityAdmin sec = new SecurityAdmin(admin);
            for (String user : List.of("ingest", "learner", "evaluator", "producer", "learner-nogroup", "evaluator-notxn")) {
                sec.user(user, user + "-secret");
            }
            grant(sec, "ingest", ServiceAcls.ingest(topics, IngestService.APPLICATION_ID));
            grant(sec, "learner", ServiceAcls.learner(topics, "clpipe-learner"));
            grant(sec, "evaluator", ServiceAcls.evaluator(topics, "clpipe-evaluator", "clpipe-evaluator"));
            sec.allow("producer", ResourceType.TOPIC, topics.samples(), PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE);
            // Everything the learner needs but READ on its group.
            ServiceAcls.learner(topics, "clpipe-learner").grants().stream().filter(g -> g.type() != ResourceType.GROUP)
                    .forEach(g -> sec.allow("learner-nogroup", g.type(), g.name(), g.pattern(), g.operations().toArray(AclOperation[]::new)));
            // Everything an evaluator of its own group needs but its transactional id (it writes metrics in transactions).
            ServiceAcls.evaluator(topics, "clpipe-evaluator-b", "clpipe-evaluator-b").grants().stream()
                    .filter(g -> g.type() != ResourceType.TRANSACTIONAL_ID)
                    .forEach(g -> sec.allow("evaluator-notxn", g.type(), g.name(), g.pattern(), g.operations().toArray(AclOperation[]::new)));
            sec.apply();
        }
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static void grant(SecurityAdmin sec, String user, ServiceAcls acls) {
        for (ServiceAcls.Grant g : acls.grants()) {
            sec.allow(user, g.type(), g.name(), g.pattern(), g.operations().toArray(AclOperation[]::new));
        }
    }

    @Test
    @Order(1)
    void theServicesRunOverSaslSslWithExactlyTheDocumentedAcls() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ok"));
        try (ServiceJvm ingest = start("ingest", dir, List.of("--kafka-config", config(dir, "ingest", "ingest-secret"),
                "--feature-dim", "784", "--classes", "10"));
             ServiceJvm learner = start("learner", dir, List.of("--kafka-config", config(dir, "learner", "learner-secret"),
                     "--set", "checkpoint.dir=" + dir.resolve("ckpt"), "--set", "model.hidden=32", "--set", "batch.size=32",
                     "--set", "replay.policy=class-balanced", "--set", "eval.period=5", "--set", "eval.dense.window=5"));
             ServiceJvm evaluator = start("evaluator", dir, List.of("--kafka-config",
                     config(dir, "evaluator", "evaluator-secret"), "--set", "state.dir=" + dir.resolve("eval"),
                     "--set", "eval.set.size=" + EVAL_PER_TASK))) {
            for (ServiceJvm p : List.of(ingest, learner, evaluator)) {
                p.awaitProbe("/health", Duration.ofMinutes(3));
            }
            Properties producer = clientProperties("producer", "producer-secret");
            try (KafkaProducer<String, byte[]> out = new KafkaProducer<>(producer, new StringSerializer(), new ByteArraySerializer())) {
                for (ProducerRecord<String, byte[]> r : splitMnist(Mnist.load())) {
                    out.send(r);
                }
                out.flush();
            }
            // 2 x 320 samples, batch 32 half replayed: 16 new per step, 40 steps; snapshots every 5 (task 2-3 from step 21).
            List<IterationMetrics> metrics = awaitMetrics(30, List.of(ingest, learner, evaluator));
            IterationMetrics last = metrics.get(metrics.size() - 1);
            assertThat(last.getTasks()).containsOnlyKeys("0-1", "2-3");
            for (ServiceJvm p : List.of(ingest, learner, evaluator)) {
                p.requireAlive();
                assertThat(p.logText()).as("%s log", p.name()).doesNotContain("not authorized").doesNotContain("could not authenticate");
            }
        }
    }

    @Test
    @Order(2)
    void wrongPasswordsAndMissingAclsStopEachServiceWithStatusOneAndSayWhy() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("denied"));
        Map<ServiceJvm, String> expected = new LinkedHashMap<>();
        expected.put(start("ingest", dir, List.of("--kafka-config", config(dir, "ingest", "wrong-password"),
                "--feature-dim", "784")), "ingest could not authenticate to Kafka");
        expected.put(start("learner", dir, List.of("--kafka-config", config(dir, "learner", "wrong-password"),
                "--set", "checkpoint.dir=" + dir.resolve("ckpt-a"))), "learner could not authenticate to Kafka");
        expected.put(start("evaluator", dir, List.of("--kafka-config", config(dir, "evaluator", "wrong-password"),
                "--set", "state.dir=" + dir.resolve("eval-a"))), "evaluator could not authenticate to Kafka");
        Path nogroup = Files.createDirectories(dir.resolve("nogroup"));
        expected.put(start("learner", nogroup, List.of("--kafka-config", config(nogroup, "learner-nogroup",
                "learner-nogroup-secret"), "--set", "checkpoint.dir=" + nogroup.resolve("ckpt"))),
                "Missing: READ on group clpipe-learner");
        Path notxn = Files.createDirectories(dir.resolve("notxn"));
        expected.put(start("evaluator", notxn, List.of("--kafka-config", config(notxn, "evaluator-notxn",
                "evaluator-notxn-secret"), "--set", "state.dir=" + notxn.resolve("eval"), "--set", "group.id=clpipe-evaluator-b")),
                "Missing: WRITE, DESCRIBE on transactional-id clpipe-evaluator-b");
        List<String> problems = new ArrayList<>();
        try {
            for (Map.Entry<ServiceJvm, String> e : expected.entrySet()) {
                ServiceJvm p = e.getKey();
                OptionalInt status = p.awaitExit(EXIT_WITHIN);
                String log = p.logText();
                log.lines().filter(l -> l.contains(" failed: ")).forEach(l -> System.out.println("denied " + p.name() + " said: " + l));
                if (status.isEmpty() || status.getAsInt() != 1 || !log.contains(e.getValue())) {
                    problems.add(p.name() + " (expecting \"" + e.getValue() + "\"): exit " + status + "\n" + p.logTail(40));
                }
            }
        } finally {
            for (ServiceJvm p : expected.keySet()) {
                p.close();
            }
        }
        assertThat(problems).as("every denied service exits with 1 and a clear reason").isEmpty();
    }

    /** A service the way a container runs it: its own JVM, working and temp directory, metrics port. */
    private static ServiceJvm start(String service, Path dir, List<String> args) {
        return ServiceJvm.launch(service, service, args).in(dir).privateTmpDir().metricsEndpoint().start();
    }

    /** A --kafka-config file holding everything: bootstrap servers, SASL_SSL, SCRAM login, trust store. */
    private String config(Path dir, String user, String password) throws IOException {
        Path file = dir.resolve(user + "-" + password + ".properties");
        try (Writer w = Files.newBufferedWriter(file)) {
            clientProperties(user, password).store(w, "clpipe client settings for " + user);
        }
        return file.toString();
    }

    private Properties clientProperties(String user, String password) {
        Properties p = EmbeddedKafkaBroker.clientSecurityProperties(security.trustStore(), security.storePassword(), user, password);
        p.put("bootstrap.servers", broker.bootstrapServers());
        return p;
    }

    private List<IterationMetrics> awaitMetrics(long version, List<ServiceJvm> services) throws InterruptedException {
        Properties c = broker.superUserClientProperties();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<IterationMetrics> metrics = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(topics.metrics(), 0)));
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (metrics.isEmpty() || metrics.get(metrics.size() - 1).getIteration() < version) {
                services.forEach(ServiceJvm::requireAlive);
                assertThat(System.nanoTime()).as("metrics up to version %d in time; have %d records", version, metrics.size())
                        .isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    metrics.add(MetricsJson.parse(r.value()));
                }
            }
        }
        return metrics;
    }

    private List<ProducerRecord<String, byte[]>> splitMnist(Mnist mnist) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int task = 0; task < 2; task++) {
            records.addAll(samplesOf(mnist.test(), task, EVAL_PER_TASK, Split.EVAL));
            records.addAll(samplesOf(mnist.train(), task, TRAIN_PER_TASK, Split.TRAIN));
        }
        return records;
    }

    private List<ProducerRecord<String, byte[]>> samplesOf(LabeledImages images, int task, int n, Split split) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < images.count() && records.size() < n; i++) {
            int label = images.labels()[i];
            if (label / 2 == task) {
                Sample s = Sample.newBuilder().setStream(STREAM).setTask(2 * task + "-" + (2 * task + 1))
                        .setFeatures(Features.of(images.image(i))).setLabel(label).setSplit(split).setSampleId(split + ":" + i).build();
                records.add(new ProducerRecord<>(topics.samples(), STREAM, SampleJson.write(s)));
            }
        }
        return records;
    }
}
