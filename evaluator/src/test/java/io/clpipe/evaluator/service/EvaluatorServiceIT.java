package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.evaluator.engine.ContinualMetricsEngine;
import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.TaskMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The evaluator on a real broker: eval samples and hand-built snapshots in, metrics records out
 * (read_committed), each version exactly once with the hand-worked values of {@link Scenario},
 * across duplicates, clean restarts and a state file that lags the committed transactions.
 */
class EvaluatorServiceIT {

    private static final String STREAM = "digits";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TestKafkaCluster kafka;
    private static Admin admin;

    @TempDir
    Path stateDir;

    @TempDir
    Path logDir;

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
        admin.createTopics(topics.specs().stream().map(TopicSpec::newTopic).toList()).all().get();
        return topics;
    }

    private EvaluatorService start(Topics topics, String group) throws InterruptedException {
        EvaluatorServiceConfig config = Scenario.config(stateDir).topics(topics).groupId(group)
                .pollTimeout(Duration.ofMillis(100)).build();
        Properties client = new Properties();
        client.put("bootstrap.servers", kafka.bootstrapServers());
        EvaluatorService service = new EvaluatorService(config, client, new SimpleMeterRegistry());
        service.start();
        assertThat(service.awaitReady(WAIT)).as("evaluator ready; failure: %s", service.failure()).isTrue();
        return service;
    }

    private static KafkaProducer<String, byte[]> producer(Topics topics) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.putAll(topics.spec(topics.models()).producerConfigs());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Eval samples of both tasks, flushed: ingest commits them before the learner trains on their train twins. */
    private static void writeEvalSamples(Topics topics, String stream, boolean withTaskB) {
        List<Sample> samples = new ArrayList<>(TestStreams.samples(stream, "a", 0, 20));
        if (withTaskB) {
            samples.addAll(TestStreams.samples(stream, "b", 2, 20));
        }
        try (KafkaProducer<String, byte[]> p = producer(topics)) {
            samples.forEach(s -> p.send(new ProducerRecord<>(topics.eval(), stream, AvroSerde.sample().serialize(s))));
        }
    }

    private static void writeSnapshots(Topics topics, List<ModelSnapshot> snapshots) {
        try (KafkaProducer<String, byte[]> p = producer(topics)) {
            snapshots.forEach(s -> p.send(new ProducerRecord<>(topics.models(), s.getStream(), AvroSerde.modelSnapshot().serialize(s))));
        }
    }

    private static List<ModelSnapshot> steps(int fromVersion, int toVersion) {
        return Scenario.STEPS.subList(fromVersion, toVersion + 1).stream().map(s -> Scenario.snapshot(STREAM, s)).toList();
    }

    /** Waits until the group has committed every snapshot written so far. */
    private static void awaitAllSnapshotsCommitted(Topics topics, String group, EvaluatorService service) throws Exception {
        TopicPartition tp = new TopicPartition(topics.models(), 0);
        long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
        awaitTrue(() -> {
            assertThat(service.failure()).isEmpty();
            try {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
                return committed != null && committed.offset() == end;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "group " + group + " to commit models offset " + end);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting for " + what).isNegative();
            Thread.sleep(100);
        }
    }

    /** Every committed metrics record, in topic order. */
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
                    IterationMetrics m = MetricsJson.parse(r.value());
                    assertThat(r.key()).isEqualTo(m.getStream());
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static List<Long> versions(List<IterationMetrics> metrics, String stream) {
        return metrics.stream().filter(m -> m.getStream().equals(stream)).map(IterationMetrics::getIteration).toList();
    }

    private static void checkWholeScenario(List<IterationMetrics> metrics) {
        assertThat(versions(metrics, STREAM)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        metrics.stream().filter(m -> m.getStream().equals(STREAM)).forEach(Scenario::check);
    }

    @Test
    void everyVersionIsPublishedOnceWithTheHandWorkedMetricsAndMissingTasksAreReported() throws Exception {
        Topics topics = topics("t1.");
        try (EvaluatorService service = start(topics, "g1")) {
            writeEvalSamples(topics, STREAM, true);
            writeEvalSamples(topics, "late", false);
            List<ModelSnapshot> snapshots = new ArrayList<>(steps(0, 3));
            snapshots.addAll(steps(2, 3)); // a restarted learner republishes
            snapshots.add(TestStreams.snapshot("late", 1, "c", List.of("a", "c"), Set.of(0, 1)));
            snapshots.addAll(steps(4, 6));
            writeSnapshots(topics, snapshots);
            awaitAllSnapshotsCommitted(topics, "g1", service);
        }
        List<IterationMetrics> metrics = committedMetrics(topics);
        checkWholeScenario(metrics);
        IterationMetrics late = metrics.stream().filter(m -> m.getStream().equals("late")).findFirst().orElseThrow();
        assertThat(late.getTasks().get("a").getAccuracy()).isEqualTo(1.0);
        assertThat(late.getTasks().get("c").getAccuracy()).isNull();
        assertThat(late.getTasks().get("c").getSamples()).isZero();
        assertThat(metrics).hasSize(8);
    }

    @Test
    void aRestartContinuesTheMetricsWithoutLossOrRepetition() throws Exception {
        Topics topics = topics("t2.");
        writeEvalSamples(topics, STREAM, true);
        try (EvaluatorService service = start(topics, "g2")) {
            writeSnapshots(topics, steps(0, 4));
            awaitAllSnapshotsCommitted(topics, "g2", service);
        }
        try (EvaluatorService service = start(topics, "g2")) {
            // versions 3 and 4 republished after the restart, then new ones; min-ACC must remember v4's drop
            writeSnapshots(topics, steps(3, 6));
            awaitAllSnapshotsCommitted(topics, "g2", service);
        }
        checkWholeScenario(committedMetrics(topics));
    }

    /**
     * A crash after a transaction committed but before the state file was saved leaves a state
     * file behind the committed offsets (stale), or none (lost state dir): the evaluator must catch
     * up from the metrics topic instead of re-evaluating or forgetting.
     */
    @ParameterizedTest(name = "{0} state file")
    @ValueSource(strings = {"stale", "missing"})
    void aStateFileBehindTheCommittedTransactionsIsCaughtUpFromTheMetricsTopic(String kind) throws Exception {
        Topics topics = topics("t3" + kind + ".");
        String group = "g3" + kind;
        writeEvalSamples(topics, STREAM, true);
        Path file = stateDir.resolve(StateStore.FILE_NAME);
        Path stale = stateDir.resolve("stale-copy");
        try (EvaluatorService service = start(topics, group)) {
            writeSnapshots(topics, steps(0, 2));
            awaitAllSnapshotsCommitted(topics, group, service);
        }
        Files.copy(file, stale);
        try (EvaluatorService service = start(topics, group)) {
            writeSnapshots(topics, steps(3, 4));
            awaitAllSnapshotsCommitted(topics, group, service);
        }
        if (kind.equals("stale")) {
            Files.move(stale, file, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(file);
        }
        try (EvaluatorService service = start(topics, group)) {
            writeSnapshots(topics, steps(4, 6));
            awaitAllSnapshotsCommitted(topics, group, service);
        }
        checkWholeScenario(committedMetrics(topics));
    }

    /**
     * The evaluator JVM is killed (SIGKILL) while it evaluates a long stream with recurring tasks
     * and restarted on the same state directory: the metrics topic holds every version exactly once,
     * and every record's aggregates equal those of one uninterrupted engine fed the known scores.
     */
    @Test
    void aKilledEvaluatorProcessNeitherLosesNorRepeatsMetrics() throws Exception {
        Topics topics = topics("t4.");
        String group = "g4";
        writeEvalSamples(topics, STREAM, true);
        List<ModelSnapshot> stream = longStream(80);
        Path log = logDir.resolve("child-evaluator.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EvaluatorProcess.class.getName(),
                kafka.bootstrapServers(), "t4.", group, stateDir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int published;
        try {
            writeSnapshots(topics, stream);
            awaitTrue(() -> {
                assertThat(child.isAlive()).as("child evaluator alive (log %s)", log).isTrue();
                return committedMetrics(topics).size() >= 20;
            }, "20 metrics records from the child evaluator");
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        published = committedMetrics(topics).size();
        try (EvaluatorService service = start(topics, group)) {
            writeSnapshots(topics, stream.subList(Math.max(0, published - 5), published)); // republished by a learner restart
            awaitAllSnapshotsCommitted(topics, group, service);
        }
        List<IterationMetrics> metrics = committedMetrics(topics);
        assertThat(versions(metrics, STREAM)).as("killed after %d records", published)
                .containsExactlyElementsOf(LongStream.range(0, 80).boxed().toList());
        ContinualMetricsEngine uninterrupted = new ContinualMetricsEngine(EngineConfig.defaults(Direction.ACCURACY)
                .withLcaBeta(Scenario.LCA_BETA));
        for (int v = 0; v < stream.size(); v++) {
            ModelSnapshot s = stream.get(v);
            IterationMetrics m = metrics.get(v);
            Map<String, TaskMetrics> tasks = new LinkedHashMap<>();
            for (String task : s.getSeenTasks()) {
                int first = task.equals("a") ? 0 : 2;
                Set<Integer> known = knownAt(v);
                tasks.put(task, new TaskMetrics(TestStreams.accuracy(known, first), TestStreams.loss(known, first), 10L));
            }
            MetricsSnapshot expected = MetricsRecords.evaluation(v, s.getTask(), tasks, Direction.ACCURACY)
                    .map(uninterrupted::record).orElseThrow();
            IterationMetrics record = MetricsRecords.record(STREAM, v, s.getTask(), tasks, expected, Direction.ACCURACY, 0);
            MetricsRecords.addLearnerState(record, s.getLearningRate(), s.getLoss());
            Map<String, Double> aggregates = record.getAggregates();
            assertThat(m.getAggregates()).as("v%d (killed after %d records)", v, published).isEqualTo(aggregates);
        }
    }

    /** Tasks a, b, a, b for 20 versions each; seen-task lists grow; what the model knows varies per version. */
    private static List<ModelSnapshot> longStream(int length) {
        List<ModelSnapshot> out = new ArrayList<>(length);
        for (int v = 0; v < length; v++) {
            String task = (v / 20) % 2 == 0 ? "a" : "b";
            List<String> seen = v < 20 ? List.of("a") : List.of("a", "b");
            out.add(TestStreams.snapshot(STREAM, v, task, seen, knownAt(v)));
        }
        return out;
    }

    private static Set<Integer> knownAt(int version) {
        Random random = new Random(version);
        Set<Integer> known = new HashSet<>();
        for (int c = 0; c < 4; c++) {
            if (random.nextBoolean()) {
                known.add(c);
            }
        }
        return known;
    }
}
