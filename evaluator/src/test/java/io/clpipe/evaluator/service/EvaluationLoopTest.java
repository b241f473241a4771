package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.SnapshotAssembler;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.IterationMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's takeover and rollback on Kafka's MockConsumer and MockProducer: what it seeks to, what its engines hold
 * and what it publishes, without a broker (EvaluatorServiceIT runs the same on a real one).
 */
class EvaluationLoopTest {

    private static final String S = "digits";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
    private static final Topics TOPICS = Topics.defaults();
    private static final TopicPartition MODELS_0 = new TopicPartition(TOPICS.models(), 0);
    private static final TopicPartition EVAL_0 = new TopicPartition(TOPICS.eval(), 0);
    private static final TopicPartition METRICS_0 = new TopicPartition(TOPICS.metrics(), 0);
    private static final int EVAL_SAMPLES = 20;

    @TempDir
    Path dir;

    private final MockConsumer<String, byte[]> models = new MockConsumer<>("earliest");
    private final MockConsumer<String, byte[]> eval = new MockConsumer<>("earliest");
    private final MockConsumer<String, byte[]> ledger = new MockConsumer<>("earliest");
    private MockProducer<String, byte[]> producer;
    private EvaluationLoop loop;

    @BeforeEach
    void setUp() {
        Node node = new Node(0, "localhost", 9092);
        producer = new MockProducer<>(new Cluster("c", List.of(node), List.of(new PartitionInfo(TOPICS.metrics(), 0, node, null,
                null)), Set.of(), Set.of()), true, null, new StringSerializer(), new ByteArraySerializer());
        topic(models, MODELS_0, 0);
        topic(eval, EVAL_0, EVAL_SAMPLES);
        topic(ledger, METRICS_0, 0);
        List<byte[]> samples = TestStreams.samples(S, "a", 0, EVAL_SAMPLES).stream().map(AvroSerde.sample()::serialize).toList();
        eval.schedulePollTask(() -> {
            for (int i = 0; i < samples.size(); i++) {
                eval.addRecord(new ConsumerRecord<>(TOPICS.eval(), 0, i, S, samples.get(i)));
            }
        });
        loop = new EvaluationLoop(Scenario.config(dir).build(), new LoopClients(models, eval, ledger, producer), null,
                new EvaluatorMeters(new SimpleMeterRegistry()), CLOCK, () -> true);
        assertThat(loop.recover()).isTrue();
    }

    @AfterEach
    void tearDown() {
        loop.close();
    }

    private static void topic(MockConsumer<String, byte[]> consumer, TopicPartition tp, long end) {
        consumer.updatePartitions(tp.topic(), List.of(new PartitionInfo(tp.topic(), tp.partition(), null, null, null)));
        consumer.updateBeginningOffsets(Map.of(tp, 0L));
        consumer.updateEndOffsets(Map.of(tp, end));
    }

    private static byte[] snapshot(long version) {
        return AvroSerde.modelSnapshot().serialize(TestStreams.snapshot(S, version, "a", List.of("a"), Set.of(0, 1)));
    }

    /** Snapshots arriving on models partition 0 from {@code offset} on. */
    private void snapshots(long offset, long... versions) {
        for (int i = 0; i < versions.length; i++) {
            models.addRecord(new ConsumerRecord<>(TOPICS.models(), 0, offset + i, S, snapshot(versions[i])));
        }
        models.updateEndOffsets(Map.of(MODELS_0, offset + versions.length));
    }

    private List<Long> publishedIterations() {
        return producer.history().stream().map(r -> MetricsJson.parse(r.value())).map(IterationMetrics::getIteration).toList();
    }

    /** What another evaluator (the partition's previous owner) published for {@code version}. */
    private byte[] previousOwnersMetrics(long version) {
        EvaluatorServiceConfig config = Scenario.config(dir.resolve("previous-owner")).build();
        EvaluatorMeters meters = new EvaluatorMeters(new SimpleMeterRegistry());
        EvalIntake intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        TestStreams.samples(S, "a", 0, EVAL_SAMPLES).forEach(intake::offer);
        try (SnapshotEvaluator evaluator = new SnapshotEvaluator(config, intake, meters, CLOCK)) {
            SnapshotBatchScorer scorer = new SnapshotBatchScorer(TOPICS, new SnapshotAssembler(TOPICS.models()), evaluator,
                    meters, new HashMap<>());
            List<ProducerRecord<String, byte[]>> out = scorer.score(new ConsumerRecords<>(Map.of(MODELS_0,
                    List.of(new ConsumerRecord<>(TOPICS.models(), 0, 0, S, snapshot(version)))), Map.of())).metrics();
            assertThat(out).hasSize(1);
            return out.get(0).value();
        }
    }

    @Test
    void aTakeoverCatchesUpThePreviousOwnersMetricsBeforeScoringAndSeeksToTheGroupsOffset() {
        // The previous owner evaluated versions up to 7 (models offsets 0-1) and committed offset 2 with the mark of
        // its metrics, which end at metrics offset 1.
        ledger.addRecord(new ConsumerRecord<>(TOPICS.metrics(), 0, 0, S, previousOwnersMetrics(7)));
        ledger.updateEndOffsets(Map.of(METRICS_0, 1L));
        models.commitSync(Map.of(MODELS_0, new OffsetAndMetadata(2, new LedgerMark(Map.of(0, 1L)).encode())));
        assertThat(loop.lastEvaluated()).doesNotContainKey(S);

        models.rebalance(List.of(MODELS_0));

        assertThat(loop.joined()).isTrue();
        assertThat(models.position(MODELS_0)).isEqualTo(2);
        assertThat(loop.lastEvaluated()).containsEntry(S, 7L);
        // Version 7 arrives again (the previous owner's transaction and this poll overlap): scored once, by the owner.
        snapshots(2, 7, 8);
        loop.runOnce();
        assertThat(publishedIterations()).containsExactly(8L);
        assertThat(producer.consumerGroupOffsetsHistory()).last()
                .satisfies(h -> assertThat(h.values().iterator().next().get(MODELS_0).offset()).isEqualTo(4));
        assertThat(loop.lastEvaluated()).containsEntry(S, 8L);
    }

    @Test
    void aBatchWhoseCommitFailsIsRolledBackAndEvaluatedAgainAfterTheSeekBack() {
        models.rebalance(List.of(MODELS_0));
        snapshots(0, 5);
        loop.runOnce();
        assertThat(publishedIterations()).containsExactly(5L);
        assertThat(loop.lastEvaluated()).containsEntry(S, 5L);

        // The group rebalanced while version 9 was evaluated: its offsets cannot be committed.
        producer.sendOffsetsToTransactionException = new CommitFailedException();
        snapshots(1, 9);
        loop.runOnce();

        assertThat(producer.transactionAborted()).isTrue();
        assertThat(publishedIterations()).containsExactly(5L);
        assertThat(loop.lastEvaluated()).containsEntry(S, 5L);
        assertThat(models.position(MODELS_0)).isEqualTo(1);

        producer.sendOffsetsToTransactionException = null;
        snapshots(1, 9);
        loop.runOnce();
        assertThat(publishedIterations()).containsExactly(5L, 9L);
        assertThat(loop.lastEvaluated()).containsEntry(S, 9L);
        assertThat(producer.consumerGroupOffsetsHistory()).last()
                .satisfies(h -> assertThat(h.values().iterator().next().get(MODELS_0).offset()).isEqualTo(2));
    }

    @Test
    void aRevokedPartitionsStreamsAreNoLongerOwned() {
        models.rebalance(List.of(MODELS_0));
        snapshots(0, 5);
        loop.runOnce();
        assertThat(loop.summary()).contains("1 partition assignments", "models offsets committed {0=1}");

        models.rebalance(List.of());

        assertThat(loop.summary()).contains("models offsets committed {}");
    }
}
