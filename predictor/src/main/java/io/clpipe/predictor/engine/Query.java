package io.clpipe.predictor.engine;

/** One input to score. */
public sealed interface Query permits Query.Features, Query.Text {

    /** How many of the most probable classes to report. */
    int top();

    /** A classifier's input vector. */
    record Features(float[] values, int top) implements Query {
    }

    /**
     * A language model's prompt (UTF-8 bytes): the next byte after it is predicted, then
     * {@code continuation} bytes are generated greedily (each the arg-max after the previous ones).
     */
    record Text(byte[] prompt, int top, int continuation) implements Query {
    }
}
