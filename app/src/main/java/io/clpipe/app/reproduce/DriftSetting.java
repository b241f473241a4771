package io.clpipe.app.reproduce;

/**
 * One {@code clpipe reproduce drift} run: a labelled MNIST scenario sent with no task field.
 *
 * @param scenario     permuted-mnist or rotated-mnist
 * @param tasks        true tasks (switches = tasks − 1)
 * @param trainPerTask training images per task (one epoch)
 * @param evalPerTask  eval samples per task (sent before the task's training samples, as the demo does)
 * @param seed         permutations, subsets, order, initialisation and replay
 * @param pipeline     also run the whole pipeline (broker, ingest, learner, evaluator) for re-warms and stability gaps
 */
record DriftSetting(String scenario, int tasks, int trainPerTask, int evalPerTask, long seed, boolean pipeline) {

    /** 3 tasks × (500 eval + 2000 train). */
    static DriftSetting quick(String scenario, long seed, boolean pipeline) {
        return new DriftSetting(scenario, 3, 2000, 500, seed, pipeline);
    }

    /** 5 tasks × (1000 eval + 6000 train). */
    static DriftSetting full(String scenario, long seed, boolean pipeline) {
        return new DriftSetting(scenario, 5, 6000, 1000, seed, pipeline);
    }

    String describe() {
        return scenario + ", " + tasks + " tasks × (" + evalPerTask + " eval + " + trainPerTask + " train) samples, no task field, seed " + seed;
    }
}
