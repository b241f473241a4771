package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.broker.TopicCreation;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
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
        return topics(prefix, 1);
    }

    /** The topics, with {@code partitions} partitions for models and metrics. */
    private static Topics topics(String prefix, int partitions) throws Exception {
        Topics topics = Topics.withPrefix(prefix);
        Set<String> split = Set.of(topics.models(), topics.metrics());
        TopicCreation.create(admin, topics.specs().stream()
                .map(s -> split.contains(s.name()) ? new TopicSpec(s.name(), partitions, s.configs(), s.producerConfigs()) : s)
                .map(TopicSpec::newTopic).toList());
        return topics;
    }

    private EvaluatorService start(Topics topics, String group) throws InterruptedException {
        return start(topics, group, stateDir, group, new SimpleMeterRegistry(), false);
    }

    private static EvaluatorService start(Topics topics, String group, Path dir, String transactionalId, MeterRegistry registry,
                                          boolean fastFailover) throws InterruptedException {
        EvaluatorServiceConfig config = Scenario.config(dir).topics(topics).groupId(group).transactionalId(transactionalId)
                .pollTimeout(Duration.ofMillis(100)).build();
        EvaluatorService service = new EvaluatorService(config, EvaluatorProcess.clientProperties(kafka.bootstrapServers(), fastFailover),
                registry);
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

    /** Snapshots of one stream into one models partition (as the learner's keyed producer would). */
    private static void writeSnapshots(Topics topics, int partition, List<ModelSnapshot> snapshots) {
        try (KafkaProducer<String, byte[]> p = producer(topics)) {
            snapshots.forEach(s -> p.send(new ProducerRecord<>(topics.models(), partition, s.getStream(),
                    AvroSerde.modelSnapshot().serialize(s))));
        }
    }

    private static List<ModelSnapshot> steps(int fromVersion, int toVersion) {
        return Scenario.STEPS.subList(fromVersion, toVersion + 1).stream().map(s -> Scenario.snapshot(STREAM, s)).toList();
    }

    /** Waits until the group has committed every snapshot written so far, on every models partition. */
    private static void awaitAllSnapshotsCommitted(Topics topics, String group, EvaluatorService service) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topics.models())).allTopicNames().get().get(topics.models()).partitions()
                .forEach(p -> latest.put(new TopicPartition(topics.models(), p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        awaitTrue(() -> {
            assertThat(service.failure()).isEmpty();
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                return end.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() == e.getValue());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "group " + group + " to commit models offsets " + end);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting for " + what).isNegative();
            Thread.sleep(100);
        }
    }

    /** Every committed metrics record, in topic order per partition (one stream's records stay in one). */
    private static List<IterationMetrics> committedMetrics(Topics topics) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<IterationMetrics> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topics.metrics()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
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

    /**
     * Eval sets outlive the eval topic: after v0..v4 the evaluator stops, every eval record is deleted
     * (as retention would), and the restarted evaluator still scores both tasks on the same fixed
     * subsets, so v5 and v6 carry the hand-worked values with 10 samples per task (without the saved
     * sets they would be unscored, samples 0). (The restart comes after v4, not between v3 and v4:
     * there it would lose v3's in-memory model and with it the FWT term, docs/metrics.md.)
     */
    @Test
    void evalSetsSurviveARestartAfterTheEvalTopicWasTruncated() throws Exception {
        Topics topics = topics("t9.");
        writeEvalSamples(topics, STREAM, true);
        try (EvaluatorService service = start(topics, "g9")) {
            writeSnapshots(topics, steps(0, 4));
            awaitAllSnapshotsCommitted(topics, "g9", service);
        }
        assertThat(stateDir.resolve(EvalSetFile.FILE_NAME)).exists();
        TopicPartition evalPartition = new TopicPartition(topics.eval(), 0);
        long end = admin.listOffsets(Map.of(evalPartition, OffsetSpec.latest())).all().get().get(evalPartition).offset();
        assertThat(end).isEqualTo(40);
        admin.deleteRecords(Map.of(evalPartition, RecordsToDelete.beforeOffset(end))).all().get();
        assertThat(admin.listOffsets(Map.of(evalPartition, OffsetSpec.earliest())).all().get().get(evalPartition).offset())
                .as("eval topic truncated to its end").isEqualTo(end);

        try (EvaluatorService service = start(topics, "g9")) {
            writeSnapshots(topics, steps(5, 6));
            awaitAllSnapshotsCommitted(topics, "g9", service);
        }
        List<IterationMetrics> metrics = committedMetrics(topics);
        checkWholeScenario(metrics);
        metrics.stream().filter(m -> m.getIteration() >= 5).forEach(m -> {
            assertThat(m.getTasks().get("a").getSamples()).isEqualTo((long) Scenario.EVAL_SET_SIZE);
            assertThat(m.getTasks().get("b").getSamples()).isEqualTo((long) Scenario.EVAL_SET_SIZE);
        });
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
        List<ModelSnapshot> stream = RecurringStream.snapshots(STREAM, 80);
        Path log = logDir.resolve("child-evaluator.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EvaluatorProcess.class.getName(),
                kafka.bootstrapServers(), "t4.", group, stateDir.toString(), group)
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
        try {
            RecurringStream.assertPublishedExactlyOnce(committedMetrics(topics), STREAM, stream, "killed after " + published
                    + " records");
        } catch (AssertionError e) {
            System.out.println("child evaluator log:\n" + Files.readString(log));
            throw e;
        }
    }

    /**
     * Scale-out and failover: evaluator A alone evaluates two streams (one per models partition);
     * evaluator B (its own JVM) joins and takes one partition over; B is killed (SIGKILL) and A takes
     * the partition back. Each stream's metrics are every version exactly once with the aggregates of
     * one uninterrupted engine, although three evaluator lifetimes wrote them.
     */
    @Test
    void evaluatorsShareTheStreamsAndASurvivorTakesOverAKilledOnesPartitions() throws Exception {
        Topics topics = topics("t5.", 2);
        String group = "g5";
        List<String> streams = List.of("s0", "s1");
        Map<String, List<ModelSnapshot>> snapshots = new HashMap<>();
        for (String stream : streams) {
            writeEvalSamples(topics, stream, true);
            snapshots.put(stream, RecurringStream.snapshots(stream, 80));
        }
        SimpleMeterRegistry registryA = new SimpleMeterRegistry();
        Path log = logDir.resolve("evaluator-b.log");
        String moved;
        try (EvaluatorService a = start(topics, group, stateDir.resolve("a"), group + "-a", registryA, true)) {
            writePhase(topics, streams, snapshots, 0, 30);
            awaitAllSnapshotsCommitted(topics, group, a);

            Process b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), EvaluatorProcess.class.getName(),
                    kafka.bootstrapServers(), "t5.", group, stateDir.resolve("b").toString(), group + "-b", "fast-failover")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                int[] partitionOfB = {-1};
                awaitTrue(() -> {
                    assertThat(b.isAlive()).as("evaluator B alive (log %s)", log).isTrue();
                    partitionOfB[0] = partitionOf(group, group + "-b");
                    return partitionOfB[0] >= 0 && partitionOf(group, group + "-a") == 1 - partitionOfB[0];
                }, "A and B to own one models partition each");
                moved = streams.get(partitionOfB[0]);
                writePhase(topics, streams, snapshots, 30, 60);
                awaitAllSnapshotsCommitted(topics, group, a);
                assertThat(b.isAlive()).as("evaluator B alive (log %s)", log).isTrue();
            } finally {
                b.destroyForcibly();
                b.waitFor();
            }
            writePhase(topics, streams, snapshots, 60, 80);
            awaitAllSnapshotsCommitted(topics, group, a);
            // A evaluated the moved stream's versions 60..79 only: B did 30..59, and A's meters for it restarted at the takeover.
            assertThat(registryA.get("clpipe.eval.evaluations").tags("stream", moved).counter().count())
                    .as("versions of %s evaluated by A after taking it back", moved).isEqualTo(20.0);
        }
        List<IterationMetrics> metrics = committedMetrics(topics);
        for (String stream : streams) {
            RecurringStream.assertPublishedExactlyOnce(metrics, stream, snapshots.get(stream), "failover (B took " + moved + ")");
        }
    }

    private static void writePhase(Topics topics, List<String> streams, Map<String, List<ModelSnapshot>> snapshots, int from,
                                   int to) {
        for (int p = 0; p < streams.size(); p++) {
            writeSnapshots(topics, p, snapshots.get(streams.get(p)).subList(from, to));
        }
    }

    /** The models partition the group member whose client id starts with {@code clientPrefix} owns, or −1. */
    private static int partitionOf(String group, String clientPrefix) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                    .filter(m -> m.clientId().startsWith(clientPrefix))
                    .flatMap(m -> m.assignment().topicPartitions().stream())
                    .mapToInt(TopicPartition::partition).reduce((x, y) -> -1).orElse(-1);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
