package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.ContinualMetricsEngine;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.Models;

/**
 * One stream's progress: versions seen and evaluated, the task of the last evaluation, its metrics
 * engine (created once the direction is known) and the model instance reused for every snapshot
 * of the same spec (building an ND4J model is not free). Not thread-safe.
 */
final class StreamTrack implements AutoCloseable {

    /**
     * Rows per forward chunk, whatever batch the learner trains with: `clpipe bench evaluator` measured
     * chunks of 1000 10–20% faster than the learner's 128 (docs/benchmarks.md, Evaluator).
     */
    static final int FORWARD_CHUNK_ROWS = 1000;

    final String stream;
    long lastEvaluated = -1;
    long latestSeen = -1;
    String lastTask;
    ContinualMetricsEngine engine;
    private String specText;
    private Model model;

    StreamTrack(String stream) {
        this.stream = stream;
    }

    /** The model for {@code spec}, rebuilt only when the spec text changes; parameters are the caller's. */
    Model model(String text, ModelSpec spec) {
        if (!text.equals(specText)) {
            close();
            model = Models.create(spec.withMaxBatch(FORWARD_CHUNK_ROWS), 0);
            specText = text;
        }
        return model;
    }

    EvaluatorState.StreamProgress export() {
        return new EvaluatorState.StreamProgress(stream, lastEvaluated, latestSeen, lastTask,
                engine == null ? null : engine.exportState());
    }

    /** Sets the persisted progress; the cached model is kept. */
    void reset(EvaluatorState.StreamProgress progress) {
        lastEvaluated = progress.lastEvaluated();
        latestSeen = progress.latestSeen();
        lastTask = progress.lastTask();
        engine = progress.engine() == null ? null : ContinualMetricsEngine.restore(progress.engine());
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
            model = null;
            specText = null;
        }
    }
}
