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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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

/**
 * Spread scoring on the real broker: two scorers (one in its own JVM) score the versions of ONE stream in
 * parallel for an evaluator in {@code scoring=spread} mode; the one in its own JVM is SIGKILLed mid-run. The
 * metrics topic must hold exactly what one uninterrupted single evaluator publishes for the same snapshots:
 * every version once, in order, the same per-task scores and aggregates.
 */
class SpreadScoringIT {

    private static final String STREAM = "digits";
    private static final Duration WAIT = Duration.ofSeconds(180);

    private static TestKafkaCluster kafka;
    private static Admin admin;

    @TempDir
    Path dir;

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

    private static void write(Topics topics, String topic, List<byte[]> values) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.putAll(topics.spec(topics.models()).producerConfigs());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            values.forEach(v -> producer.send(new ProducerRecord<>(topic, STREAM, v)));
        }
    }

    private static void writeEvalSamples(Topics topics) {
        List<Sample> samples = new ArrayList<>(TestStreams.samples(STREAM, "a", 0, 20));
        samples.addAll(TestStreams.samples(STREAM, "b", 2, 20));
        write(topics, topics.eval(), samples.stream().map(AvroSerde.sample()::serialize).toList());
    }

    private static void writeSnapshots(Topics topics, List<ModelSnapshot> snapshots) {
        write(topics, topics.models(), snapshots.stream().map(AvroSerde.modelSnapshot()::serialize).toList());
    }

    private static EvaluatorService evaluator(Topics topics, String group, Path state, boolean spread) throws InterruptedException {
        EvaluatorServiceConfig config = Scenario.config(state).topics(topics).groupId(group).transactionalId(group)
                .pollTimeout(Duration.ofMillis(100)).maxSnapshotsPerTransaction(8).spreadScoring(spread).build();
        EvaluatorService service = new EvaluatorService(config, EvaluatorProcess.clientProperties(kafka.bootstrapServers(), true),
                new SimpleMeterRegistry());
        service.start();
        assertThat(service.awaitReady(WAIT)).as("evaluator ready; failure: %s", service.failure()).isTrue();
        return service;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting for " + what).isNegative();
            Thread.sleep(100);
        }
    }

    /** Waits until the evaluator group has committed every snapshot of the models topic. */
    private static void awaitAllCommitted(Topics topics, String group, EvaluatorService service) throws Exception {
        TopicPartition models = new TopicPartition(topics.models(), 0);
        long end = admin.listOffsets(Map.of(models, OffsetSpec.latest())).all().get().get(models).offset();
        awaitTrue(() -> {
            assertThat(service.failure()).isEmpty();
            try {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(models);
                return committed != null && committed.offset() == end;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "group " + group + " to commit models offset " + end);
    }

    /** Every committed record of a topic, in order per partition. */
    private static void readCommitted(String topic, Consumer<ConsumerRecord<String, byte[]>> sink) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(sink);
            }
        }
    }

    /** The committed metrics records, timestamps zeroed (the only field that depends on when a record was made). */
    private static List<IterationMetrics> metrics(Topics topics) {
        List<IterationMetrics> out = new ArrayList<>();
        readCommitted(topics.metrics(), r -> {
            IterationMetrics m = MetricsJson.parse(r.value());
            m.setTimestamp(0L);
            out.add(m);
        });
        return out;
    }

    /** Committed score replies per scorer. */
    private static Map<String, Integer> repliesByScorer(Topics topics) {
        Map<String, Integer> out = new HashMap<>();
        readCommitted(topics.scores(), r -> out.merge(ScoreReply.decode(r.value()).scorer(), 1, Integer::sum));
        return out;
    }

    private static int members(String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
    }

    @Test
    void twoScorersShareOneStreamAndAKilledOneNeitherLosesNorRepeatsAVersion() throws Exception {
        List<ModelSnapshot> snapshots = RecurringStream.snapshots(STREAM, 160);

        Topics single = topics("single.");
        writeEvalSamples(single);
        writeSnapshots(single, snapshots);
        try (EvaluatorService reference = evaluator(single, "single", dir.resolve("single"), false)) {
            awaitAllCommitted(single, "single", reference);
        }
        List<IterationMetrics> expected = metrics(single);
        assertThat(expected).hasSize(160);

        Topics topics = topics("spread.");
        writeEvalSamples(topics);
        Path log = dir.resolve("child-scorer.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ScorerProcess.class.getName(),
                kafka.bootstrapServers(), "spread.", "scorers", "scorer-child")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (ScorerService local = new ScorerService(ScorerProcess.config("spread.", "scorers", "scorer-local"),
                EvaluatorProcess.clientProperties(kafka.bootstrapServers(), true), new SimpleMeterRegistry());
             EvaluatorService evaluator = evaluator(topics, "spread", dir.resolve("spread"), true)) {
            local.start();
            awaitTrue(() -> {
                assertThat(child.isAlive()).as("child scorer alive (log %s)", log).isTrue();
                try {
                    return local.notReady().isEmpty() && members("scorers") == 2;
                } catch (Exception e) {
                    return false;
                }
            }, "both scorers in group scorers");

            writeSnapshots(topics, snapshots.subList(0, 80));
            awaitTrue(() -> repliesByScorer(topics).getOrDefault("scorer-child", 0) >= 5, "5 versions scored by the child scorer");
            child.destroyForcibly(); // SIGKILL: its open transaction and uncommitted requests are left behind
            child.waitFor();
            writeSnapshots(topics, snapshots.subList(80, 160));
            awaitAllCommitted(topics, "spread", evaluator);
            assertThat(local.failure()).isEmpty();
        } finally {
            child.destroyForcibly();
        }

        List<IterationMetrics> published = metrics(topics);
        Map<String, Integer> byScorer = repliesByScorer(topics);
        try {
            assertThat(published).extracting(IterationMetrics::getIteration).containsExactlyElementsOf(
                    expected.stream().map(IterationMetrics::getIteration).toList());
            assertThat(published).isEqualTo(expected);
            RecurringStream.assertPublishedExactlyOnce(published, STREAM, snapshots, "spread scoring with a killed scorer");
            assertThat(byScorer).containsKeys("scorer-child", "scorer-local");
            assertThat(byScorer.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(160);
        } catch (AssertionError e) {
            System.out.println("replies by scorer " + byScorer + "; child scorer log:\n" + Files.readString(log));
            throw e;
        }
    }
}
