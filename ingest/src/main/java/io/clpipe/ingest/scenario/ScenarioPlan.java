package io.clpipe.ingest.scenario;

import java.util.List;

/**
 * The shape of a scenario run, known before any sample is produced: tasks in order with their
 * sample counts, and the input layout a learner needs.
 */
public record ScenarioPlan(String scenario, String stream, List<TaskPlan> tasks, int featureDim, int numClasses) {

    public ScenarioPlan {
        tasks = List.copyOf(tasks);
    }

    public List<String> taskNames() {
        return tasks.stream().map(TaskPlan::name).toList();
    }

    public TaskPlan task(String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no task '" + name + "' in " + scenario + ": " + taskNames()));
    }

    public long totalTrainSamples() {
        return tasks.stream().mapToLong(TaskPlan::trainSamples).sum();
    }

    public long totalEvalSamples() {
        return tasks.stream().mapToLong(TaskPlan::evalSamples).sum();
    }

    public long totalSamples() {
        return totalTrainSamples() + totalEvalSamples();
    }
}
