package io.clpipe.ingest.scenario;

import io.clpipe.ingest.source.SampleSource;
import java.util.List;

/**
 * A continual-learning benchmark as a sample sequence: for each task in order, its EVAL samples
 * (from the test set), then its TRAIN samples (from the training set, {@code epochs} passes, each
 * shuffled with the seed). Build one with {@link Scenarios}.
 */
public final class Scenario {

    private final String name;
    private final ScenarioConfig config;
    private final List<ScenarioTask> tasks;
    private final ScenarioPlan plan;

    Scenario(String name, ScenarioConfig config, List<ScenarioTask> tasks, int featureDim, int numClasses) {
        this.name = name;
        this.config = config;
        this.tasks = List.copyOf(tasks);
        this.plan = new ScenarioPlan(name, config.stream(),
                this.tasks.stream().map(t -> t.plan(config.epochs())).toList(), featureDim, numClasses);
    }

    public String name() {
        return name;
    }

    public ScenarioConfig config() {
        return config;
    }

    /** Tasks in order with their sample counts, and the totals a run waits for. */
    public ScenarioPlan plan() {
        return plan;
    }

    /** A fresh pass over the whole sequence; every call yields the same samples in the same order. */
    public SampleSource samples() {
        return new ScenarioSource(this.name, config, tasks, plan.totalSamples());
    }
}
