package io.clpipe.bench.evaluator;

import io.clpipe.evaluator.engine.ContinualMetricsEngine;
import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.Evaluation;
import io.clpipe.models.EvalResult;
import io.clpipe.models.Model;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.avro.ModelSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One evaluation as the evaluator service does it, timed by phase: decode a snapshot's bytes into
 * the model, score every task's eval subset, feed the metrics engine. Iterations count up from 1;
 * the learning task moves to the next task every {@code iterationsPerTask} evaluations (cycling), so
 * the engine sees boundaries and tracks stability gaps. Not thread-safe.
 */
final class EvaluationPipeline {

    private final Model model;
    private final EvalTasks tasks;
    private final AvroSerde<ModelSnapshot> serde;
    private final ContinualMetricsEngine engine = new ContinualMetricsEngine(EngineConfig.defaults(Direction.ACCURACY));
    private final long iterationsPerTask;
    private long iteration;
    private Map<String, Double> lastScores = Map.of();

    EvaluationPipeline(Model model, EvalTasks tasks, AvroSerde<ModelSnapshot> serde, long iterationsPerTask) {
        if (iterationsPerTask < 1) {
            throw new IllegalArgumentException("iterationsPerTask must be >= 1");
        }
        this.model = model;
        this.tasks = tasks;
        this.serde = serde;
        this.iterationsPerTask = iterationsPerTask;
    }

    PhaseNanos evaluate(byte[] snapshotBytes) {
        long start = System.nanoTime();
        ModelSnapshot snapshot = serde.deserialize(snapshotBytes);
        model.loadParameters(ParameterBytes.verifiedParameters(snapshot));
        long decoded = System.nanoTime();
        Map<String, Double> scores = new LinkedHashMap<>();
        long samples = 0;
        for (int t = 0; t < tasks.names().size(); t++) {
            EvalResult result = model.evaluate(tasks.batches().get(t));
            scores.put(tasks.names().get(t), result.accuracy());
            samples += result.count();
        }
        long scored = System.nanoTime();
        iteration++;
        String learning = tasks.names().get((int) ((iteration - 1) / iterationsPerTask % tasks.names().size()));
        engine.record(new Evaluation(iteration, learning, scores));
        long recorded = System.nanoTime();
        lastScores = scores;
        return new PhaseNanos(decoded - start, scored - decoded, recorded - scored, samples);
    }

    /** The accuracies of the latest evaluation, by task. */
    Map<String, Double> lastScores() {
        return lastScores;
    }

    Model model() {
        return model;
    }
}
