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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One poll of the models topic → the metrics records and the offsets of one transaction, without Kafka. */
class SnapshotBatchScorerTest {

    private static final String S = "digits";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
    private static final Topics TOPICS = Topics.defaults();
    private static final TopicPartition MODELS_0 = new TopicPartition(TOPICS.models(), 0);

    @TempDir
    Path dir;

    private static ConsumerRecord<String, byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>(TOPICS.models(), 0, offset, S, value);
    }

    private static byte[] snapshot(long version) {
        return AvroSerde.modelSnapshot().serialize(TestStreams.snapshot(S, version, "a", List.of("a"), Set.of(0, 1)));
    }

    @Test
    void everySnapshotGetsAMetricsRecordAndAnUnreadableOneIsSkippedButCommitted() {
        EvaluatorServiceConfig config = Scenario.config(dir).build();
        EvaluatorMeters meters = new EvaluatorMeters(new SimpleMeterRegistry());
        EvalIntake intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        TestStreams.samples(S, "a", 0, 20).forEach(intake::offer);
        Map<String, TopicPartition> owned = new HashMap<>();
        try (SnapshotEvaluator evaluator = new SnapshotEvaluator(config, intake, meters, CLOCK)) {
            SnapshotBatchScorer scorer = new SnapshotBatchScorer(TOPICS, new SnapshotAssembler(TOPICS.models()), evaluator,
                    meters, owned);
            ConsumerRecords<String, byte[]> poll = new ConsumerRecords<>(Map.of(MODELS_0, List.of(
                    record(10, snapshot(0)), record(11, new byte[] {1, 2, 3}), record(12, snapshot(5)), record(13, snapshot(5)))),
                    Map.of());

            SnapshotBatchScorer.Scored scored = scorer.score(poll);

            assertThat(scored.metrics()).extracting(r -> MetricsJson.parse(r.value())).extracting(IterationMetrics::getIteration)
                    .containsExactly(0L, 5L);
            assertThat(scored.metrics()).allSatisfy(r -> {
                assertThat(r.topic()).isEqualTo(TOPICS.metrics());
                assertThat(r.key()).isEqualTo(S);
            });
            assertThat(scored.next()).containsExactly(Map.entry(MODELS_0, new OffsetAndMetadata(14)));
            assertThat(owned).containsExactly(Map.entry(S, MODELS_0));
            assertThat(scorer.summary()).startsWith("2 snapshots evaluated and published, 1 duplicate versions skipped, 1 rejected");
        }
    }
}
