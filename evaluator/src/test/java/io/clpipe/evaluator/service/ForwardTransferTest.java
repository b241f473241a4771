package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FWT in the service when task b's eval set appears only after a's last model was evaluated (the
 * usual case on a live stream: version 0 is published before any eval sample of later tasks). With
 * {@link TestStreams}' known-class models: v0 knows class 2, so b_b = 0.5; a's last version, v3,
 * knows classes 0..3, so a(a, b) = 1.0: FWT = 1.0 − 0.5 = 0.5, published at v4 (b's first version).
 */
class ForwardTransferTest {

    private static final String S = "s";
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private final List<SnapshotEvaluator> evaluators = new ArrayList<>();

    @AfterEach
    void close() {
        evaluators.forEach(SnapshotEvaluator::close);
    }

    private record Setup(SnapshotEvaluator evaluator, EvalIntake intake) {
    }

    private Setup evaluator() {
        EvaluatorServiceConfig config = Scenario.config(dir).build();
        EvaluatorMeters meters = new EvaluatorMeters(new SimpleMeterRegistry());
        EvalIntake intake = new EvalIntake(config.evalSetConfig(), config.textContext(), meters);
        TestStreams.samples(S, "a", 0, 20).forEach(intake::offer);
        SnapshotEvaluator evaluator = new SnapshotEvaluator(config, intake, meters, CLOCK);
        evaluators.add(evaluator);
        return new Setup(evaluator, intake);
    }

    private static final List<ModelSnapshot> BEFORE_B = List.of(
            TestStreams.snapshot(S, 0, "a", List.of("a"), Set.of(2)),
            TestStreams.snapshot(S, 1, "a", List.of("a"), Set.of(0)),
            TestStreams.snapshot(S, 2, "a", List.of("a"), Set.of(0, 1)),
            // the boundary contract: a's last version, labelled a, already lists b among its seen tasks
            TestStreams.snapshot(S, 3, "a", List.of("a", "b"), Set.of(0, 1, 2, 3)));
    private static final ModelSnapshot FIRST_OF_B = TestStreams.snapshot(S, 4, "b", List.of("a", "b"), Set.of(2, 3));

    private static IterationMetrics published(SnapshotEvaluator.Outcome outcome) {
        assertThat(outcome).isInstanceOf(SnapshotEvaluator.Outcome.Evaluated.class);
        return MetricsJson.parse(MetricsJson.write(((SnapshotEvaluator.Outcome.Evaluated) outcome).metrics()));
    }

    private void assertTransfer(IterationMetrics v4) {
        assertThat(v4.getAggregates().get("fwt")).isCloseTo(0.5, within(1e-12));
        assertThat(v4.getScoreMatrix().getTasks()).containsExactly("a", "b");
        assertThat(v4.getScoreMatrix().getInitial()).containsExactly(0.0, 0.5);
        // rows: a(a, ·) at v3 (b scored late, on v3's weights), a(b, ·) at v4
        assertThat(v4.getScoreMatrix().getRows()).containsExactly(List.of(1.0, 1.0), List.of(0.0, 1.0));
    }

    @Test
    void theInitialAndTheLastOldTaskModelAreScoredWhenTheNewTasksEvalSetAppears() {
        Setup s = evaluator();
        List<IterationMetrics> records = new ArrayList<>();
        BEFORE_B.forEach(snap -> records.add(published(s.evaluator().evaluate(snap))));
        assertThat(records.get(3).getTasks().get("b").getAccuracy()).as("b has no eval set yet").isNull();
        assertThat(records.get(3).getAggregates().get("fwt")).isNaN();
        assertThat(s.evaluator().heldModels()).as("v0 and v3 kept").isEqualTo(2);
        TestStreams.samples(S, "b", 2, 20).forEach(s.intake()::offer);

        IterationMetrics v4 = published(s.evaluator().evaluate(FIRST_OF_B));
        records.add(v4);
        assertTransfer(v4);
        assertThat(s.evaluator().heldModels()).as("v3 scored: only the initial model stays").isEqualTo(1);
        s.evaluator().stateSaved();
        assertThat(heldFiles()).hasSize(1);

        // a restart that replays the published records rebuilds the same engine, late scores included
        Setup replayed = evaluator();
        records.forEach(r -> replayed.evaluator().replay(r, false));
        assertThat(replayed.evaluator().export()).isEqualTo(s.evaluator().export());
    }

    /**
     * The old task ended on a full batch: the cadence published v3 before the learner read b's first
     * record, so v3 does not list b. The evaluator scores its in-memory v3 on b when v4 (b) comes.
     */
    @Test
    void whenTheOldTasksLastVersionDidNotListTheNewTaskThePreviousModelIsScoredAtTheFirstNewVersion() {
        Setup s = evaluator();
        TestStreams.samples(S, "b", 2, 20).forEach(s.intake()::offer);
        List<ModelSnapshot> before = new ArrayList<>(BEFORE_B.subList(0, 3));
        before.add(TestStreams.snapshot(S, 3, "a", List.of("a"), Set.of(0, 1, 2, 3)));
        before.forEach(snap -> published(s.evaluator().evaluate(snap)));
        assertTransfer(published(s.evaluator().evaluate(FIRST_OF_B)));
    }

    @Test
    void theKeptModelsSurviveARestartFromTheStateDirectory() {
        Setup first = evaluator();
        BEFORE_B.forEach(snap -> published(first.evaluator().evaluate(snap)));
        List<EvaluatorState.StreamProgress> saved = first.evaluator().export();
        first.evaluator().stateSaved();
        assertThat(heldFiles()).hasSize(2);
        first.evaluator().close();

        Setup second = evaluator();
        second.evaluator().restore(saved);
        second.evaluator().reloadHeldModels();
        TestStreams.samples(S, "b", 2, 20).forEach(second.intake()::offer);
        assertTransfer(published(second.evaluator().evaluate(FIRST_OF_B)));
    }

    private List<Path> heldFiles() {
        try (Stream<Path> files = Files.list(dir.resolve(HeldModelStore.DIRECTORY))) {
            return files.filter(f -> f.toString().endsWith(".bin")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aHeldModelFileRoundTripsAndACorruptOneIsRejected() throws Exception {
        HeldModelStore.HeldModel m = new HeldModelStore.HeldModel(S, 3, "a", "b", TestStreams.SPEC, new float[] {1f, -2.5f, 3e-8f});
        HeldModelStore.HeldModel back = HeldModelStore.decode(HeldModelStore.encode(m));
        assertThat(back.version()).isEqualTo(3);
        assertThat(back.forTask()).isEqualTo("b");
        assertThat(back.parameters()).containsExactly(1f, -2.5f, 3e-8f);
        byte[] bytes = HeldModelStore.encode(m);
        bytes[bytes.length / 2] ^= 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeldModelStore.decode(bytes))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("checksum");
        assertThat(Arrays.equals(back.parameters(), m.parameters())).isTrue();
    }
}
