package io.clpipe.predictor.engine;

import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;

/**
 * One stream's model as published at {@code version}, with its parameters fully loaded: it is only
 * built (and made visible by {@link ModelTable}) once every parameter is in place.
 *
 * @param task task the learner was learning at that version, or null (task-free)
 */
public record ServedModel(String stream, long version, String task, ModelSpec spec, Model model) implements AutoCloseable {

    @Override
    public void close() {
        model.close();
    }
}
