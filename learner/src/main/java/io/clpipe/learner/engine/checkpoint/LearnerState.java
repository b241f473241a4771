package io.clpipe.learner.engine.checkpoint;

import io.clpipe.learner.engine.replay.ReplayState;
import io.clpipe.learner.engine.schedule.SchedulePosition;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to resume a learner exactly: what a checkpoint file holds.
 *
 * @param modelSpec     the model's description, to name a mismatch on restore
 * @param iteration     optimizer steps taken (including rejected ones)
 * @param lastLoss      loss of the last step (NaN before the first)
 * @param lrScale       the divergence guard's learning-rate factor
 * @param currentTask   task of the last boundary or sample
 * @param seenTasks     tasks seen, in order of first appearance
 * @param parameters    the flat weight vector
 * @param optimizer     optimizer kind, step count and state vectors
 * @param schedule      schedule position
 * @param replay        replay buffer contents, or {@code null} without a buffer
 * @param reptileAnchor the Reptile anchor, or {@code null} without Reptile
 * @param rng           the random generator's state
 * @param callerData    opaque entries for the caller (e.g. consumed Kafka offsets)
 */
public record LearnerState(String modelSpec, long iteration, double lastLoss, double lrScale, int currentTask,
                           int[] seenTasks, float[] parameters, OptimizerState optimizer, SchedulePosition schedule,
                           ReplayState replay, float[] reptileAnchor, long[] rng, Map<String, String> callerData) {

    public LearnerState {
        callerData = Map.copyOf(callerData);
    }

    /** @param vectors the optimizer's state vectors in its own fixed order */
    public record OptimizerState(String kind, long stepCount, List<float[]> vectors) {
        public OptimizerState {
            vectors = List.copyOf(vectors);
        }
    }
}
