package io.clpipe.ingest.scenario;

import io.clpipe.datasets.LabeledImages;

/**
 * One task of a scenario: which training and test images it uses (by index, in dataset order) and
 * the transform that makes its input distribution. Labels are the datasets' own.
 */
record ScenarioTask(String name, LabeledImages train, int[] trainIndices, LabeledImages test, int[] evalIndices,
                    ImageTransform transform) {

    TaskPlan plan(int epochs) {
        return new TaskPlan(name, trainIndices.length, epochs, evalIndices.length);
    }
}
