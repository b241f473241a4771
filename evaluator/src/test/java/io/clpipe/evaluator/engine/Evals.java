package io.clpipe.evaluator.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds evaluations tersely in tests: {@code at(3, "B", "A", 0.5, "B", 0.7)}. */
final class Evals {

    private Evals() {
    }

    static Evaluation at(long iteration, String learningTask, Object... taskScorePairs) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int i = 0; i < taskScorePairs.length; i += 2) {
            scores.put((String) taskScorePairs[i], ((Number) taskScorePairs[i + 1]).doubleValue());
        }
        return new Evaluation(iteration, learningTask, scores);
    }

    static Evaluation initial(Object... taskScorePairs) {
        return at(0, null, taskScorePairs);
    }

    static MetricsSnapshot replay(EngineConfig config, Evaluation... evaluations) {
        ContinualMetricsEngine engine = new ContinualMetricsEngine(config);
        MetricsSnapshot last = null;
        for (Evaluation e : evaluations) {
            last = engine.record(e);
        }
        return last;
    }
}
