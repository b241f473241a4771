package io.clpipe.evaluator.engine;

import static io.clpipe.evaluator.engine.Evals.at;
import static io.clpipe.evaluator.engine.Evals.initial;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Export/restore: an engine restored from another's exported state at any point of a trace gives
 * exactly the same snapshots as the uninterrupted engine for the rest of the trace.
 */
class EngineStateTest {

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void restoredEngineContinuesExactly(long seed) {
        Random random = new Random(seed);
        Direction direction = random.nextBoolean() ? Direction.ACCURACY : Direction.LOSS;
        EngineConfig config = EngineConfig.defaults(direction).withWindows(List.of(2 + random.nextInt(4), 6 + random.nextInt(10)))
                .withLcaBeta(1 + random.nextInt(5)).withGapHistory(random.nextInt(4));
        List<Evaluation> trace = trace(random);
        int cut = random.nextInt(trace.size());

        ContinualMetricsEngine uninterrupted = new ContinualMetricsEngine(config);
        ContinualMetricsEngine restored = null;
        for (int i = 0; i < trace.size(); i++) {
            if (i == cut) {
                EngineState exported = uninterrupted.exportState();
                restored = ContinualMetricsEngine.restore(exported);
                assertThat(restored.exportState()).isEqualTo(exported);
                assertThat(restored.footprint()).isEqualTo(uninterrupted.footprint());
            }
            MetricsSnapshot expected = uninterrupted.record(trace.get(i));
            if (restored != null) {
                assertThat(restored.record(trace.get(i))).as("seed %d evaluation %d (cut at %d)", seed, i, cut).isEqualTo(expected);
            }
        }
        assertThat(restored.exportState()).isEqualTo(uninterrupted.exportState());
    }

    @Test
    void emptyEngineRoundTrips() {
        ContinualMetricsEngine engine = new ContinualMetricsEngine(EngineConfig.defaults(Direction.ACCURACY));
        ContinualMetricsEngine restored = ContinualMetricsEngine.restore(engine.exportState());
        assertThat(restored.record(initial("A", 0.1)).iteration()).isZero();
        assertThat(restored.record(at(1, "A", "A", 0.5)).acc()).isEqualTo(0.5);
    }

    @Test
    void inconsistentStateIsRefused() {
        ContinualMetricsEngine engine = new ContinualMetricsEngine(EngineConfig.defaults(Direction.ACCURACY));
        engine.accept(at(1, "A", "A", 0.5));
        engine.accept(at(2, "B", "A", 0.4, "B", 0.6));
        EngineState state = engine.exportState();
        List<EngineState.Task> tasks = new ArrayList<>(state.tasks());
        EngineState.Task b = tasks.get(1);
        tasks.set(1, new EngineState.Task(b.id(), 5, b.latest(), b.latestIteration(), b.worstSinceEnd(), b.initial(),
                b.recentGoodness(), b.maxDrop(), b.maxRise(), b.curveCount(), b.curveSum()));
        EngineState broken = new EngineState(state.config(), state.lastIteration(), state.currentTask(), state.lastScores(),
                tasks, state.matrix(), state.openGaps(), state.closedGaps());
        assertThatThrownBy(() -> ContinualMetricsEngine.restore(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learning order 5");

        EngineState unknownCurrent = new EngineState(state.config(), state.lastIteration(), "Z", state.lastScores(),
                state.tasks(), state.matrix(), state.openGaps(), state.closedGaps());
        assertThatThrownBy(() -> ContinualMetricsEngine.restore(unknownCurrent)).hasMessageContaining("current task Z");
    }

    /** Recurring tasks, sparse scores (some tasks missing at some evaluations), an initial model. */
    private static List<Evaluation> trace(Random random) {
        List<String> names = List.of("A", "B", "C", "D");
        List<Evaluation> out = new ArrayList<>();
        List<String> seen = new ArrayList<>(List.of("A"));
        out.add(new Evaluation(0, null, Map.of("A", random.nextDouble())));
        String task = "A";
        long n = 0;
        int length = 5 + random.nextInt(80);
        for (int i = 0; i < length; i++) {
            n += 1 + random.nextInt(3);
            if (random.nextInt(8) == 0) {
                task = names.get(random.nextInt(names.size()));
                if (!seen.contains(task)) {
                    seen.add(task);
                }
            }
            Map<String, Double> scores = new LinkedHashMap<>();
            for (String t : seen) {
                if (t.equals(task) || random.nextInt(5) > 0) {
                    scores.put(t, Math.round(random.nextDouble() * 20) / 20.0);
                }
            }
            out.add(new Evaluation(n, task, scores));
        }
        return out;
    }
}
