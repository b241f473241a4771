package io.clpipe.learner.service;

import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.learner.engine.replay.ReplayPolicy;
import io.clpipe.learner.engine.replay.ReplayState;
import io.clpipe.learner.engine.schedule.SchedulePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Learner states of a chosen size, for checkpoint-store tests (contents random but seeded). */
final class TestStates {

    private TestStates() {
    }

    /** A state with {@code replayed} replay samples of {@code dim} features and a 784-16-2-sized weight vector. */
    static LearnerState withReplay(int replayed, int dim) {
        return state(1, replayed, dim, Map.of());
    }

    static LearnerState state(long iteration, int replayed, int dim, Map<String, String> callerData) {
        Random r = new Random(iteration * 31 + replayed);
        float[] params = new float[784 * 16 + 16 + 16 * 2 + 2];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) r.nextGaussian();
        }
        List<Sample> samples = new ArrayList<>(replayed);
        for (int i = 0; i < replayed; i++) {
            float[] f = new float[dim];
            for (int j = 0; j < dim; j++) {
                f[j] = r.nextFloat();
            }
            samples.add(Sample.dense(f, i % 2, 0));
        }
        ReplayState replay = new ReplayState(ReplayPolicy.RESERVOIR, Math.max(replayed, 1),
                List.of(new ReplayState.Group(0, replayed, samples)));
        return new LearnerState("mlp", iteration, 0.5, 1, 0, new int[] {0}, params,
                new LearnerState.OptimizerState("sgd", iteration, List.of(params.clone())), SchedulePosition.start(0.1, 0),
                replay, null, new long[] {1, 2, 3, iteration}, callerData);
    }
}
