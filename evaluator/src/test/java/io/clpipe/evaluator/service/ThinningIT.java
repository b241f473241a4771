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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
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

/**
 * Thinning on a real broker. The backlog does not depend on the machine's speed: the models topic is
 * filled before the evaluator starts, so every snapshot's backlog is the number of records written
 * after it, and the bound (10) is far below the 120 versions there. Versions 0..60 train task "a"
 * (b = 60 is its last), 61..119 task "b"; then, after a restart, 120..179 more of "b".
 */
class ThinningIT {

    private static final String STREAM = "digits";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int BACKLOG = 10;
    private static final int DENSE_AFTER = 5;
    private static final long BOUNDARY = 60;

    private static TestKafkaCluster kafka;
    private static Admin admin;

    @TempDir
    Path stateDir;

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

    private EvaluatorServiceConfig config(Topics topics) {
        return Scenario.config(stateDir).topics(topics).groupId("thin").pollTimeout(Duration.ofMillis(100))
                .thinBacklog(BACKLOG).thinDenseAfter(DENSE_AFTER).build();
    }

    private static ModelSnapshot snapshot(long version) {
        String task = version <= BOUNDARY ? "a" : "b";
        List<String> seen = version < BOUNDARY ? List.of("a") : List.of("a", "b");
        Set<Integer> known = version % 2 == 0 ? Set.of(0, 1) : Set.of(0, 2);
        return TestStreams.snapshot(STREAM, version, task, seen, known);
    }

    private static void write(Topics topics, long from, long to) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.putAll(topics.spec(topics.models()).producerConfigs());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            if (from == 0) {
                List<Sample> samples = new ArrayList<>(TestStreams.samples(STREAM, "a", 0, 20));
                samples.addAll(TestStreams.samples(STREAM, "b", 2, 20));
                samples.forEach(s -> producer.send(new ProducerRecord<>(topics.eval(), STREAM, AvroSerde.sample().serialize(s))));
            }
            for (long v = from; v <= to; v++) {
                producer.send(new ProducerRecord<>(topics.models(), 0, STREAM, AvroSerde.modelSnapshot().serialize(snapshot(v))));
            }
        }
    }

    /** Runs an evaluator until the group committed every snapshot written; returns clpipe.eval.thinned before it stops. */
    private double evaluateAll(Topics topics) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TopicPartition models = new TopicPartition(topics.models(), 0);
        long end = admin.listOffsets(Map.of(models, OffsetSpec.latest())).all().get().get(models).offset();
        try (EvaluatorService service = new EvaluatorService(config(topics),
                EvaluatorProcess.clientProperties(kafka.bootstrapServers(), false), registry)) {
            service.start();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                assertThat(service.failure()).isEmpty();
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets("thin").partitionsToOffsetAndMetadata().get().get(models);
                if (committed != null && committed.offset() == end) {
                    return registry.find("clpipe.eval.thinned").tag("stream", STREAM).counter().count();
                }
                assertThat(System.nanoTime() - deadline).as("timed out waiting for the group to commit %d", end).isNegative();
                Thread.sleep(100);
            }
        }
    }

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
                    out.add(MetricsJson.parse(r.value()));
                }
            }
        }
        return out;
    }

    private static List<Long> skipped(List<IterationMetrics> metrics) {
        List<Long> out = new ArrayList<>();
        metrics.forEach(m -> {
            if (m.getSkippedVersions() != null) {
                assertThat(m.getSkippedVersions().getVersions()).as("listed (at most 15 per record here)").isNotNull();
                assertThat(m.getSkippedVersions().getCount()).isEqualTo(m.getSkippedVersions().getVersions().size());
                out.addAll(m.getSkippedVersions().getVersions());
            }
        });
        return out;
    }

    /** Every version in [0, last] is scored exactly once or named exactly once as skipped, never both. */
    private static void everyVersionOnceScoredOrSkipped(List<IterationMetrics> metrics, long last) {
        List<Long> scored = metrics.stream().map(IterationMetrics::getIteration).toList();
        assertThat(scored).as("scored in order, none twice").isSorted().doesNotHaveDuplicates();
        long previous = -1;
        for (IterationMetrics m : metrics) {
            if (m.getSkippedVersions() != null) {
                for (long v : m.getSkippedVersions().getVersions()) {
                    assertThat(v).as("v%d names versions since the previous record", m.getIteration())
                            .isBetween(previous + 1, m.getIteration() - 1);
                }
            }
            previous = m.getIteration();
        }
        List<Long> all = new ArrayList<>(scored);
        all.addAll(skipped(metrics));
        assertThat(new HashSet<>(all)).hasSize(all.size());
        assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(0, last).boxed().toList());
    }

    @Test
    void farBehindTheEvaluatorSkipsVersionsNamesThemAndStillScoresTheBoundaryAndItsWindowAndTheLastTen() throws Exception {
        Topics topics = Topics.withPrefix("thin1.");
        TopicCreation.create(admin, topics.specs().stream().map(TopicSpec::newTopic).toList());
        write(topics, 0, 119);

        double thinned = evaluateAll(topics);

        List<IterationMetrics> metrics = committedMetrics(topics);
        everyVersionOnceScoredOrSkipped(metrics, 119);
        List<Long> scored = metrics.stream().map(IterationMetrics::getIteration).toList();
        assertThat(scored).as("initial model, its dense window, b, b + 1 .. b + dense window")
                .contains(0L, 1L, 2L, 3L, 4L, 5L, 60L, 61L, 62L, 63L, 64L, 65L);
        assertThat(scored).as("within the backlog bound of the end").containsAll(LongStream.rangeClosed(109, 119).boxed().toList());
        List<Long> skipped = skipped(metrics);
        assertThat(skipped).as("versions were thinned").isNotEmpty();
        assertThat(thinned).as("clpipe.eval.thinned").isEqualTo(skipped.size());
        IterationMetrics afterBoundary = metrics.get(scored.indexOf(61L));
        assertThat(afterBoundary.getAggregates()).containsEntry(MetricsRecords.GAP_BOUNDARY, (double) BOUNDARY);
        MetricsAudit.Result audit = MetricsAudit.audit(metrics, config(topics));
        assertThat(audit.inconsistent()).as("aggregates are those of the scored versions: %s", audit.firstInconsistency()).isZero();

        // a restart goes on from the committed offsets: nothing scored or named twice
        write(topics, 120, 179);
        evaluateAll(topics);
        List<IterationMetrics> after = committedMetrics(topics);
        everyVersionOnceScoredOrSkipped(after, 179);
        assertThat(after.subList(0, metrics.size())).isEqualTo(metrics);
        assertThat(after.stream().map(IterationMetrics::getIteration).toList())
                .containsAll(LongStream.rangeClosed(169, 179).boxed().toList());
        MetricsAudit.Result restarted = MetricsAudit.audit(after, config(topics));
        assertThat(restarted.inconsistent()).as("after the restart: %s", restarted.firstInconsistency()).isZero();
    }
}
