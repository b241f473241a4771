package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.SnapshotAssembler;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.TaskMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spread scoring's ordering side without Kafka: scores computed elsewhere, replied in any order, give the
 * very metrics records the evaluator publishes when it scores every snapshot itself.
 */
class SpreadBatchScorerTest {

    private static final String S = "digits";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);
    private static final Topics TOPICS = Topics.defaults();
    private static final TopicPartition MODELS_0 = new TopicPartition(TOPICS.models(), 0);

    @TempDir
    Path dir;

    /** The scorers: every request scored with {@link SnapshotScoring} on its own eval sets, replies in reverse order. */
    private static final class ReversingScorers implements ScoreExchange {
        final EvalIntake intake;
        final SnapshotScoring scoring;
        final Map<Long, byte[]> models = new HashMap<>();
        final List<List<ScoreRequest>> asked = new ArrayList<>();

        ReversingScorers(EvaluatorServiceConfig config) {
            intake = new EvalIntake(ScoreRequest.EvalSettings.of(config).evalSetConfig(), config.textContext(),
                    new EvaluatorMeters(new SimpleMeterRegistry()));
            feed(intake);
            scoring = new SnapshotScoring(intake, config.textContext());
        }

        @Override
        public Optional<ScoreGather> exchange(List<ScoreRequest> requests, BooleanSupplier keepGoing) {
            asked.add(requests);
            ScoreGather gather = new ScoreGather(requests);
            gather.offer(new ScoreReply("other-stream", 1, 0, 99, "s0", null, Map.of())); // another evaluator's
            for (int i = requests.size() - 1; i >= 0; i--) {
                ScoreRequest r = requests.get(i);
                assertThat(r.firstOffset()).isEqualTo(r.lastOffset());
                var snapshot = AvroSerde.modelSnapshot().deserialize(models.get(r.lastOffset()));
                gather.offer(ScoreReply.scored(r, "s" + (i % 2), scoring.score(snapshot)));
            }
            assertThat(gather.complete()).isTrue();
            return Optional.of(gather);
        }
    }

    private static void feed(EvalIntake intake) {
        TestStreams.samples(S, "a", 0, 20).forEach(intake::offer);
        TestStreams.samples(S, "b", 2, 20).forEach(intake::offer);
    }

    private static ConsumerRecords<String, byte[]> poll(List<ConsumerRecord<String, byte[]>> records) {
        return new ConsumerRecords<>(Map.of(MODELS_0, records), Map.of());
    }

    /** The hand-worked scenario's snapshots at offsets 100, 101, …, with v3 repeated (a learner restart) after v4. */
    private static List<ConsumerRecord<String, byte[]>> scenario(ReversingScorers scorers) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        long offset = 100;
        List<Integer> order = List.of(0, 1, 2, 3, 4, 3, 5, 6);
        for (int step : order) {
            byte[] value = AvroSerde.modelSnapshot().serialize(Scenario.snapshot(S, Scenario.STEPS.get(step)));
            if (scorers != null) {
                scorers.models.put(offset, value);
            }
            out.add(new ConsumerRecord<>(TOPICS.models(), 0, offset++, S, value));
        }
        return out;
    }

    private static List<IterationMetrics> metrics(SnapshotBatchScorer.Scored scored) {
        return scored.metrics().stream().map(r -> MetricsJson.parse(r.value())).toList();
    }

    private List<IterationMetrics> single(List<List<ConsumerRecord<String, byte[]>>> polls, Path stateDir) {
        EvaluatorServiceConfig config = Scenario.config(stateDir).build();
        EvaluatorMeters meters = new EvaluatorMeters(new SimpleMeterRegistry());
        EvalIntake intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        feed(intake);
        List<IterationMetrics> out = new ArrayList<>();
        try (SnapshotEvaluator evaluator = new SnapshotEvaluator(config, intake, meters, CLOCK)) {
            SnapshotBatchScorer scorer = new SnapshotBatchScorer(TOPICS, new SnapshotAssembler(TOPICS.models()), evaluator, meters,
                    new HashMap<>());
            polls.forEach(p -> out.addAll(metrics(scorer.score(poll(p)))));
        }
        return out;
    }

    @Test
    void repliesInReverseOrderGiveTheRecordsOfAnEvaluatorScoringItself() {
        List<ConsumerRecord<String, byte[]>> records = scenario(null);
        List<IterationMetrics> expected = single(List.of(records.subList(0, 3), records.subList(3, 8)), dir.resolve("single"));

        EvaluatorServiceConfig config = Scenario.config(dir.resolve("spread")).spreadScoring(true).build();
        ReversingScorers scorers = new ReversingScorers(config);
        records = scenario(scorers);
        EvaluatorMeters meters = new EvaluatorMeters(new SimpleMeterRegistry());
        EvalIntake intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        feed(intake);
        Map<String, TopicPartition> owned = new HashMap<>();
        List<IterationMetrics> got = new ArrayList<>();
        try (SnapshotEvaluator evaluator = new SnapshotEvaluator(config, intake, meters, CLOCK)) {
            SpreadBatchScorer scorer = new SpreadBatchScorer(TOPICS, new SnapshotAssembler(TOPICS.models()), evaluator, meters,
                    owned, scorers, ScoreRequest.EvalSettings.of(config), () -> true);
            SnapshotBatchScorer.Scored first = scorer.score(poll(records.subList(0, 3)));
            SnapshotBatchScorer.Scored second = scorer.score(poll(records.subList(3, 8)));
            got.addAll(metrics(first));
            got.addAll(metrics(second));

            assertThat(first.next()).containsExactly(Map.entry(MODELS_0, new OffsetAndMetadata(103)));
            assertThat(second.next()).containsExactly(Map.entry(MODELS_0, new OffsetAndMetadata(108)));
            assertThat(scorer.summary()).startsWith("7 snapshots evaluated and published (scored by the scorers: 7 requests, "
                    + "2 replies to other requests ignored), 1 duplicate versions skipped, 0 rejected");
        }
        // The repeated v3 is not requested: the evaluator already holds a later version.
        assertThat(scorers.asked).extracting(l -> l.stream().map(ScoreRequest::version).toList())
                .containsExactly(List.of(0L, 1L, 2L), List.of(3L, 4L, 5L, 6L));
        assertThat(got).extracting(IterationMetrics::getIteration).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(got).isEqualTo(expected);
        got.forEach(Scenario::check);
        assertThat(owned).containsExactly(Map.entry(S, MODELS_0));
    }

    @Test
    void versionsAlreadyPublishedAreNotRequestedAgainAfterARestart() {
        EvaluatorServiceConfig config = Scenario.config(dir).spreadScoring(true).build();
        ReversingScorers scorers = new ReversingScorers(config);
        List<ConsumerRecord<String, byte[]>> records = scenario(scorers);
        EvaluatorMeters meters = new EvaluatorMeters(new SimpleMeterRegistry());
        EvalIntake intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        feed(intake);
        try (SnapshotEvaluator evaluator = new SnapshotEvaluator(config, intake, meters, CLOCK)) {
            SpreadBatchScorer scorer = new SpreadBatchScorer(TOPICS, new SnapshotAssembler(TOPICS.models()), evaluator, meters,
                    new HashMap<>(), scorers, ScoreRequest.EvalSettings.of(config), () -> true);
            scorer.score(poll(records.subList(0, 4)));
            // A restart that committed v0..v3 but re-reads from offset 102 (the state lags the commit): v2, v3 are published.
            SnapshotBatchScorer.Scored again = scorer.score(poll(records.subList(2, 5)));

            assertThat(metrics(again)).extracting(IterationMetrics::getIteration).containsExactly(4L);
            assertThat(scorers.asked.get(1)).extracting(ScoreRequest::version).containsExactly(4L);
        }
    }

    @Test
    void aRefusedSnapshotIsSkippedAndAShutdownCommitsNothingBeyondTheBatch() {
        EvaluatorServiceConfig config = Scenario.config(dir).spreadScoring(true).build();
        List<ConsumerRecord<String, byte[]>> records = scenario(null);
        EvaluatorMeters meters = new EvaluatorMeters(new SimpleMeterRegistry());
        EvalIntake intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        feed(intake);
        boolean[] stop = {false};
        ScoreExchange refusing = (requests, keepGoing) -> {
            if (stop[0]) {
                return Optional.empty();
            }
            ScoreGather g = new ScoreGather(requests);
            requests.forEach(r -> g.offer(r.version() == 1 ? ScoreReply.failed(r, "s0", "checksum mismatch")
                    : ScoreReply.scored(r, "s0", Map.of("a", new TaskMetrics(0.5, 1.0, 10L)))));
            return Optional.of(g);
        };
        try (SnapshotEvaluator evaluator = new SnapshotEvaluator(config, intake, meters, CLOCK)) {
            SpreadBatchScorer scorer = new SpreadBatchScorer(TOPICS, new SnapshotAssembler(TOPICS.models()), evaluator, meters,
                    new HashMap<>(), refusing, ScoreRequest.EvalSettings.of(config), () -> !stop[0]);
            SnapshotBatchScorer.Scored scored = scorer.score(poll(records.subList(0, 3)));
            assertThat(metrics(scored)).extracting(IterationMetrics::getIteration).containsExactly(0L, 2L);
            assertThat(metrics(scored).get(1).getTasks().get("a").getAccuracy()).isEqualTo(0.5);
            assertThat(scored.next()).containsExactly(Map.entry(MODELS_0, new OffsetAndMetadata(103)));

            stop[0] = true;
            SnapshotBatchScorer.Scored abandoned = scorer.score(poll(records.subList(3, 6)));
            assertThat(abandoned.metrics()).isEmpty();
            assertThat(abandoned.next()).containsExactly(Map.entry(MODELS_0, new OffsetAndMetadata(103)));
            assertThat(evaluator.lastEvaluated()).containsEntry(S, 2L);
        }
    }
}
