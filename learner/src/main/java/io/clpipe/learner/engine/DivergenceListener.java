package io.clpipe.learner.engine;

/** Told about each rolled-back step (e.g. to publish it on the control topic). */
@FunctionalInterface
public interface DivergenceListener {

    void onDivergence(DivergenceEvent event);

    static DivergenceListener ignore() {
        return event -> { };
    }
}
