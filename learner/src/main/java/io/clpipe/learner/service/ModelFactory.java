package io.clpipe.learner.service;

import io.clpipe.models.ModelSpec;
import io.clpipe.schemas.avro.Sample;
import java.util.Map;

/** Chooses the architecture of a new stream's model from the stream id and its first training sample. */
@FunctionalInterface
public interface ModelFactory {

    /**
     * @param batchSize the learner's batch size B, the smallest {@code maxBatch} the model may have
     * @throws IllegalArgumentException when the sample does not fit this kind of model
     */
    ModelSpec specFor(String stream, Sample first, int batchSize);

    /** {@code templates} by stream id, {@code fallback} for every other stream. */
    static ModelFactory perStream(Map<String, ? extends ModelFactory> templates, ModelFactory fallback) {
        Map<String, ModelFactory> copy = Map.copyOf(templates);
        return (stream, first, batchSize) -> copy.getOrDefault(stream, fallback).specFor(stream, first, batchSize);
    }
}
