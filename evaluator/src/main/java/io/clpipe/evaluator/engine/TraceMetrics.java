package io.clpipe.evaluator.engine;

import java.io.BufferedReader;
import java.io.IOException;

/** Replays a whole trace through a fresh engine: what {@code clpipe metrics --trace} computes. */
public final class TraceMetrics {

    private final EngineConfig config;

    public TraceMetrics(EngineConfig config) {
        this.config = config;
    }

    /** The metrics after the trace's last evaluation. */
    public MetricsSnapshot replay(BufferedReader trace) throws IOException, TraceFormatException {
        ContinualMetricsEngine engine = new ContinualMetricsEngine(config);
        new TraceReader(config.direction()).read(trace, engine::accept);
        return engine.snapshot();
    }
}
