package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.SnapshotAssembler;
import io.clpipe.schemas.SnapshotChunks;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

    /** Versions 0..15 of one stream at offsets 0..15: task "a" up to the boundary b = 8, then "b". */
    private static ConsumerRecords<String, byte[]> sixteenVersions() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (long v = 0; v <= 15; v++) {
            String task = v <= 8 ? "a" : "b";
            List<String> seen = v < 8 ? List.of("a") : List.of("a", "b");
            Set<Integer> known = v % 3 == 0 ? Set.of(0, 1, 2) : v % 3 == 1 ? Set.of(0) : Set.of(1, 3);
            records.add(record(v, AvroSerde.modelSnapshot().serialize(TestStreams.snapshot(S, v, task, seen, known))));
        }
        return new ConsumerRecords<>(Map.of(MODELS_0, records), Map.of());
    }

    private record Run(List<IterationMetrics> metrics, SimpleMeterRegistry registry) {
    }

    private Run run(Thinning thinning, Map<TopicPartition, Long> ends, String stateDir) {
        EvaluatorServiceConfig config = Scenario.config(dir.resolve(stateDir)).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EvaluatorMeters meters = new EvaluatorMeters(registry);
        EvalIntake intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        TestStreams.samples(S, "a", 0, 20).forEach(intake::offer);
        TestStreams.samples(S, "b", 2, 20).forEach(intake::offer);
        try (SnapshotEvaluator evaluator = new SnapshotEvaluator(config, intake, meters, CLOCK)) {
            SnapshotBatchScorer scorer = new SnapshotBatchScorer(TOPICS, new SnapshotAssembler(TOPICS.models()), evaluator,
                    meters, new HashMap<>(), thinning);
            SnapshotBatchScorer.Scored scored = scorer.score(sixteenVersions(), ends);
            assertThat(scored.next()).containsExactly(Map.entry(MODELS_0, new OffsetAndMetadata(16)));
            return new Run(scored.metrics().stream().map(r -> MetricsJson.parse(r.value())).toList(), registry);
        }
    }

    private static double thinned(SimpleMeterRegistry registry) {
        return registry.find("clpipe.eval.thinned").tag("stream", S).counter().count();
    }

    private static List<Long> listed(IterationMetrics m) {
        return m.getSkippedVersions() == null ? List.of() : m.getSkippedVersions().getVersions();
    }

    @Test
    void farBehindTheBoundaryItsSuccessorTheDenseWindowsAndEachStreamsLastVersionInThePollAreScoredTheRestSkippedAndListed() {
        Run run = run(new Thinning(5, 2), Map.of(MODELS_0, 100L), "thin");

        assertThat(run.metrics()).extracting(IterationMetrics::getIteration).containsExactly(0L, 1L, 2L, 8L, 9L, 10L, 15L);
        assertThat(run.metrics()).extracting(SnapshotBatchScorerTest::listed).containsExactly(
                List.of(), List.of(), List.of(), List.of(3L, 4L, 5L, 6L, 7L), List.of(), List.of(), List.of(11L, 12L, 13L, 14L));
        IterationMetrics boundary = run.metrics().get(3);
        assertThat(boundary.getSkippedVersions().getCount()).isEqualTo(5L);
        assertThat(boundary.getSkippedVersions().getFirst()).isEqualTo(3L);
        assertThat(boundary.getSkippedVersions().getLast()).isEqualTo(7L);
        assertThat(run.metrics().get(4).getAggregates()).containsEntry(MetricsRecords.GAP_BOUNDARY, 8.0);
        assertThat(thinned(run.registry())).isEqualTo(9.0);
    }

    @Test
    void withoutAKnownEndOnlyThisPollCountsAsBacklog() {
        Run run = run(new Thinning(5, 2), Map.of(), "poll-only");

        assertThat(run.metrics()).extracting(IterationMetrics::getIteration)
                .containsExactly(0L, 1L, 2L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
        assertThat(listed(run.metrics().get(3))).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(run.metrics().subList(4, 11)).allSatisfy(m -> assertThat(m.getSkippedVersions()).isNull());
    }

    @Test
    void aScoredVersionsScoresAndTheAggregatesThatDoNotDependOnEarlierEvaluationsAreThoseOfAnUnthinnedRun() {
        Run all = run(Thinning.OFF, Map.of(MODELS_0, 100L), "all");
        Run thin = run(new Thinning(5, 2), Map.of(MODELS_0, 100L), "thinned");

        assertThat(all.metrics()).hasSize(16).allSatisfy(m -> assertThat(m.getSkippedVersions()).isNull());
        assertThat(thinned(all.registry())).isZero();
        Map<Long, IterationMetrics> byVersion = new HashMap<>();
        all.metrics().forEach(m -> byVersion.put(m.getIteration(), m));
        for (IterationMetrics m : thin.metrics()) {
            IterationMetrics full = byVersion.get(m.getIteration());
            assertThat(m.getTasks()).as("v%d scores", m.getIteration()).isEqualTo(full.getTasks());
            assertThat(m.getAggregates().get("acc")).as("v%d ACC", m.getIteration()).isEqualTo(full.getAggregates().get("acc"));
        }
        // the accuracy matrix and what is derived from it rest on b, which is never skipped
        IterationMetrics last = thin.metrics().get(thin.metrics().size() - 1);
        assertThat(last.getScoreMatrix()).isEqualTo(byVersion.get(15L).getScoreMatrix());
        assertThat(last.getAggregates().get("bwt")).isEqualTo(byVersion.get(15L).getAggregates().get("bwt"));
        assertThat(last.getAggregates().get("fwt")).isEqualTo(byVersion.get(15L).getAggregates().get("fwt"));
    }

    @Test
    void aChunkedSnapshotCountsOnceInTheBacklog() {
        // 10 versions of a 901-parameter model, each 4 chunks of 1 KiB + a manifest: 5 records per snapshot
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        Random random = new Random(3);
        for (long v = 0; v < 10; v++) {
            float[] parameters = new float[8 * 64 + 64 + 64 * 5 + 5];
            for (int i = 0; i < parameters.length; i++) {
                parameters[i] = random.nextFloat() - 0.5f;
            }
            byte[] bytes = AvroSerde.modelSnapshot().serialize(ParameterBytes.setParameters(
                    ModelSnapshot.newBuilder(), parameters).setStream(S).setVersion(v).setTask("a")
                    .setSeenTasks(List.of("a")).setLearningRate(0.01).setLoss(0.5).setModelSpec("mlp in=8 hidden=64 classes=5 batch=64")
                    .setTimestamp(v).build());
            List<SnapshotChunks.Part> parts = SnapshotChunks.parts(S, v, bytes, Map.of(), 1024);
            assertThat(parts).hasSize(5);
            for (SnapshotChunks.Part part : parts) {
                ConsumerRecord<String, byte[]> r = record(records.size(), part.value());
                part.headers().forEach((k, value) -> r.headers().add(k, value.getBytes(StandardCharsets.UTF_8)));
                records.add(r);
            }
        }
        EvaluatorServiceConfig config = Scenario.config(dir).build();
        EvaluatorMeters meters = new EvaluatorMeters(new SimpleMeterRegistry());
        EvalIntake intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        TestStreams.samples(S, "a", 0, 20).forEach(intake::offer);
        try (SnapshotEvaluator evaluator = new SnapshotEvaluator(config, intake, meters, CLOCK)) {
            SnapshotBatchScorer scorer = new SnapshotBatchScorer(TOPICS, new SnapshotAssembler(TOPICS.models()), evaluator,
                    meters, new HashMap<>(), new Thinning(3, 0));

            SnapshotBatchScorer.Scored scored = scorer.score(new ConsumerRecords<>(Map.of(MODELS_0, records), Map.of()),
                    Map.of(MODELS_0, 50L));

            // v5 has 4 snapshots (20 records) behind it, v6 has 3: counted in records, v6..v8 would be skipped too
            List<IterationMetrics> metrics = scored.metrics().stream().map(r -> MetricsJson.parse(r.value())).toList();
            assertThat(metrics).extracting(IterationMetrics::getIteration).containsExactly(0L, 6L, 7L, 8L, 9L);
            assertThat(listed(metrics.get(1))).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }
}
