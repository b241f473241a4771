package io.clpipe.evaluator.engine;

/** Identifies one eval set: a stream (model id) and a task label of that stream. */
public record EvalSetKey(String stream, String task) {

    public EvalSetKey {
        if (stream == null || stream.isBlank() || task == null || task.isBlank()) {
            throw new IllegalArgumentException("stream and task are required, got " + stream + "/" + task);
        }
    }
}
