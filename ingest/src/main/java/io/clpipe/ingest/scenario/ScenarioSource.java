package io.clpipe.ingest.scenario;

import io.clpipe.ingest.source.SampleSource;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * Walks a scenario's tasks: eval samples, then each epoch's shuffled training samples. Sample ids are
 * {@code <scenario>:<task>:eval:<test index>} and {@code <scenario>:<task>:train:<epoch>:<train index>},
 * unique within a run and the same on every run.
 */
final class ScenarioSource implements SampleSource {

    private final String scenario;
    private final ScenarioConfig config;
    private final List<ScenarioTask> tasks;
    private final long size;

    private int task;
    private int epoch = -1; // -1: the eval phase of the current task
    private int[] order;
    private int position;

    ScenarioSource(String scenario, ScenarioConfig config, List<ScenarioTask> tasks, long size) {
        this.scenario = scenario;
        this.config = config;
        this.tasks = tasks;
        this.size = size;
        this.order = tasks.isEmpty() ? new int[0] : tasks.get(0).evalIndices();
        skipExhausted();
    }

    @Override
    public boolean hasNext() {
        return task < tasks.size();
    }

    @Override
    public Sample next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ScenarioTask t = tasks.get(task);
        int index = order[position++];
        boolean eval = epoch < 0;
        var images = eval ? t.test() : t.train();
        Sample sample = Sample.newBuilder()
                .setStream(config.stream())
                .setTask(t.name())
                .setFeatures(Features.of(t.transform().apply(images.image(index))))
                .setLabel(images.labels()[index])
                .setSplit(eval ? Split.EVAL : Split.TRAIN)
                .setSampleId(eval
                        ? scenario + ":" + t.name() + ":eval:" + index
                        : scenario + ":" + t.name() + ":train:" + epoch + ":" + index)
                .build();
        skipExhausted();
        return sample;
    }

    /** Moves to the next non-empty phase (eval → epoch 0 → … → next task) when the current one is done. */
    private void skipExhausted() {
        while (task < tasks.size() && position >= order.length) {
            position = 0;
            ScenarioTask t = tasks.get(task);
            if (epoch + 1 < config.epochs()) {
                epoch++;
                order = t.trainIndices().clone();
                Seeds.shuffle(order, Seeds.random(config.seed(), "epoch", task, epoch));
            } else {
                task++;
                epoch = -1;
                order = task < tasks.size() ? tasks.get(task).evalIndices() : new int[0];
            }
        }
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(size);
    }

    @Override
    public String description() {
        return scenario + " (" + tasks.size() + " tasks, " + size + " samples, " + config.epochs() + " epoch(s) per task)";
    }
}
