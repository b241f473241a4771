package io.clpipe.learner.service;

import io.clpipe.drift.Detection;
import io.clpipe.learner.engine.DivergenceEvent;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import java.util.List;

/** The control events a stream's learner publishes about itself (source {@code learner}). */
final class LearnerEvents {

    private LearnerEvents() {
    }

    /** The loss detector fired: a boundary at {@code iteration} within {@code task}. */
    static ControlEvent lossDrift(String stream, String task, long iteration, Detection d, long now) {
        return base(stream, ControlType.DRIFT_DETECTED, task, iteration, now).setPreviousTask(task).setReason(d.detail()).build();
    }

    /** A diverged step and the rollback that answered it. */
    static List<ControlEvent> divergence(String stream, String task, DivergenceEvent e, long now) {
        return List.of(
                base(stream, ControlType.DIVERGENCE, task, e.iteration(), now)
                        .setReason(e.cause() + ": loss " + e.loss() + ", gradient norm " + e.gradientNorm()).build(),
                base(stream, ControlType.ROLLBACK, task, e.iteration(), now)
                        .setReason("restored iteration " + e.restoredIteration() + ", learning-rate scale " + e.lrScale()).build());
    }

    private static ControlEvent.Builder base(String stream, ControlType type, String task, long iteration, long now) {
        return ControlEvent.newBuilder().setStream(stream).setType(type).setTask(task).setIteration(iteration)
                .setSource("learner").setTimestamp(now);
    }
}
