package io.clpipe.learner.service;

import io.clpipe.learner.engine.ContinualLearner;
import io.clpipe.learner.engine.Prequential;
import io.clpipe.schemas.SnapshotHeaders;
import java.util.HashMap;
import java.util.Map;

/**
 * One stream's prequential (test-then-train) scores: fed by each step's pre-update predictions, kept in
 * the checkpoint's caller data, carried to the evaluator as snapshot headers (docs/metrics.md, "Prequential").
 */
final class StreamPrequential {

    private static final String KEY = "prequential.";

    private final Prequential scores;
    private double stepAccuracy = Double.NaN;

    /** @param checkpointData the caller data of the checkpoint resumed from (empty: a new stream) */
    StreamPrequential(double fading, Map<String, String> checkpointData) {
        this.scores = new Prequential(fading);
        scores.restore(stateOf(checkpointData));
    }

    /** Scores the learner's last step: what it predicted for each new sample before updating. */
    void afterStep(ContinualLearner learner) {
        stepAccuracy = learner.scorePreUpdate(scores);
    }

    double accuracy() {
        return scores.accuracy();
    }

    double loss() {
        return scores.loss();
    }

    void writeTo(Map<String, String> callerData) {
        Prequential.State p = scores.state();
        callerData.put(KEY + "correct", Double.toString(p.correct()));
        callerData.put(KEY + "loss", Double.toString(p.loss()));
        callerData.put(KEY + "weight", Double.toString(p.weight()));
        callerData.put(KEY + "samples", Long.toString(p.samples()));
    }

    /** The figures a snapshot carries as record headers; none before the first scored sample. */
    Map<String, String> headers() {
        Map<String, String> h = new HashMap<>();
        if (scores.samples() > 0) {
            h.put(SnapshotHeaders.PREQUENTIAL_ACCURACY, Double.toString(scores.accuracy()));
            h.put(SnapshotHeaders.PREQUENTIAL_LOSS, Double.toString(scores.loss()));
            h.put(SnapshotHeaders.PREQUENTIAL_STEP_ACCURACY, Double.toString(stepAccuracy));
            h.put(SnapshotHeaders.PREQUENTIAL_SAMPLES, Long.toString(scores.samples()));
            h.put(SnapshotHeaders.PREQUENTIAL_FADING, Double.toString(scores.alpha()));
        }
        return h;
    }

    private static Prequential.State stateOf(Map<String, String> data) {
        if (!data.containsKey(KEY + "samples")) {
            return Prequential.State.EMPTY; // a new stream, or a checkpoint written before prequential scores existed
        }
        return new Prequential.State(Double.parseDouble(data.get(KEY + "correct")), Double.parseDouble(data.get(KEY + "loss")),
                Double.parseDouble(data.get(KEY + "weight")), Long.parseLong(data.get(KEY + "samples")));
    }
}
