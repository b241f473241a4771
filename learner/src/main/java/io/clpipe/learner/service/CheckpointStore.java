package io.clpipe.learner.service;

import io.clpipe.learner.engine.checkpoint.LearnerState;
import java.util.List;

/**
 * Where the learner service keeps each stream's checkpoint, grouped by the training partition the
 * stream lives in, so that an assignment reads exactly the streams it must resume. Every store keeps
 * the engine's binary checkpoint format ({@code CheckpointCodec}) and its SHA-256.
 */
interface CheckpointStore extends AutoCloseable {

    /** Saves the stream's state durably before returning; the state replaces the stream's previous one. */
    void write(String topic, int partition, String stream, LearnerState state);

    /** The newest readable checkpoint of every stream of the training partition. */
    List<LearnerState> readPartition(String topic, int partition);

    /** Where the checkpoints are, for logs. */
    String describe();

    @Override
    default void close() {
    }
}
