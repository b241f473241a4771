package io.clpipe.ingest.scenario;

/**
 * Settings of a scenario run.
 *
 * @param stream           stream id of every sample
 * @param tasks            number of tasks; 0 = the scenario's default (5, or 2 for mnist-fashion).
 *                         split-mnist takes the first {@code tasks} class pairs, mnist-fashion at most 2
 * @param evalPerTask      eval samples per task, at most (a seeded uniform subset of the test set)
 * @param epochs           passes over each task's training images, each in a fresh seeded order
 * @param trainPerTask     training images per task, at most (a seeded subset); 0 = all of them
 * @param seed             drives permutations, eval subsets, training subsets and epoch orders
 */
public record ScenarioConfig(String stream, int tasks, int evalPerTask, int epochs, int trainPerTask, long seed) {

    public static final String DEFAULT_STREAM = "mnist";
    public static final int DEFAULT_EVAL_PER_TASK = 1000;

    public ScenarioConfig {
        if (stream == null || stream.isBlank()) {
            throw new IllegalArgumentException("stream must not be blank");
        }
        if (tasks < 0) {
            throw new IllegalArgumentException("tasks must be >= 0 (0 = scenario default), got " + tasks);
        }
        if (evalPerTask < 0) {
            throw new IllegalArgumentException("evalPerTask must be >= 0, got " + evalPerTask);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (trainPerTask < 0) {
            throw new IllegalArgumentException("trainPerTask must be >= 0 (0 = all), got " + trainPerTask);
        }
    }

    /** Stream "mnist", default task count, 1000 eval samples per task, 1 epoch, all training images, seed 0. */
    public static ScenarioConfig defaults() {
        return new ScenarioConfig(DEFAULT_STREAM, 0, DEFAULT_EVAL_PER_TASK, 1, 0, 0L);
    }

    public ScenarioConfig withStream(String value) {
        return new ScenarioConfig(value, tasks, evalPerTask, epochs, trainPerTask, seed);
    }

    public ScenarioConfig withTasks(int value) {
        return new ScenarioConfig(stream, value, evalPerTask, epochs, trainPerTask, seed);
    }

    public ScenarioConfig withEvalPerTask(int value) {
        return new ScenarioConfig(stream, tasks, value, epochs, trainPerTask, seed);
    }

    public ScenarioConfig withEpochs(int value) {
        return new ScenarioConfig(stream, tasks, evalPerTask, value, trainPerTask, seed);
    }

    public ScenarioConfig withTrainPerTask(int value) {
        return new ScenarioConfig(stream, tasks, evalPerTask, epochs, value, seed);
    }

    public ScenarioConfig withSeed(long value) {
        return new ScenarioConfig(stream, tasks, evalPerTask, epochs, trainPerTask, value);
    }
}
