package io.clpipe.bench.evaluator;

import io.clpipe.evaluator.engine.ContinualMetricsEngine;
import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.Evaluation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The metrics engine alone on a synthetic trace: {@code tasks} tasks learned one after the other
 * (equal shares of the trace), every task scored at every evaluation with accuracies that random-walk
 * in [0, 1]. The trace is built before timing; a run times {@code record} (update + snapshot) of
 * every evaluation on a fresh engine with the default settings (w = 10, 100; β = 10).
 */
final class EngineAloneRun {

    private final List<Evaluation> trace;

    EngineAloneRun(int tasks, int evaluations, long seed) {
        this.trace = trace(tasks, evaluations, new Random(seed));
    }

    /** Seconds to record the whole trace. */
    double seconds() {
        ContinualMetricsEngine engine = new ContinualMetricsEngine(EngineConfig.defaults(Direction.ACCURACY));
        long start = System.nanoTime();
        for (Evaluation e : trace) {
            engine.record(e);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    int evaluations() {
        return trace.size();
    }

    private static List<Evaluation> trace(int tasks, int evaluations, Random random) {
        double[] accuracy = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            accuracy[t] = 0.1 + 0.05 * random.nextDouble();
        }
        long perTask = Math.max(1, (long) Math.ceil((double) evaluations / tasks));
        List<Evaluation> out = new ArrayList<>(evaluations);
        for (int n = 1; n <= evaluations; n++) {
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int t = 0; t < tasks; t++) {
                accuracy[t] = Math.min(1, Math.max(0, accuracy[t] + 0.02 * (random.nextDouble() - 0.5)));
                scores.put(EvalTasks.name(t), accuracy[t]);
            }
            out.add(new Evaluation(n, EvalTasks.name((int) Math.min(tasks - 1, (n - 1) / perTask)), scores));
        }
        return out;
    }
}
