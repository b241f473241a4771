package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.EvalSet;
import io.clpipe.models.EvalResult;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.ModelSpecCodec;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.TaskMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scorer's work on one snapshot, without Kafka: the snapshot's parameters on each task it lists,
 * scored exactly as {@link SnapshotEvaluator} scores them (same tasks, same eval subsets, same forward
 * chunks), so that a score computed here and one computed by the evaluator itself are the same numbers.
 * One model instance per stream is reused while its spec does not change. Not thread-safe.
 */
final class SnapshotScoring implements AutoCloseable {

    private final EvalIntake intake;
    private final EvalBatches batches;
    private final Map<String, StreamTrack> models = new LinkedHashMap<>();

    SnapshotScoring(EvalIntake intake, int textContext) {
        this.intake = intake;
        this.batches = new EvalBatches(textContext);
    }

    /**
     * Per listed task, accuracy, loss and samples; accuracy and loss null with 0 samples for a task that
     * cannot be scored now (no eval set yet, samples that do not fit).
     *
     * @throws IllegalArgumentException if the snapshot is not a usable model (checksum, parameter count, spec)
     */
    Map<String, TaskMetrics> score(ModelSnapshot snapshot) {
        ModelSpec spec = ModelSpecCodec.decode(snapshot.getModelSpec());
        float[] parameters = ParameterBytes.verifiedParameters(snapshot);
        Model model = models.computeIfAbsent(snapshot.getStream(), StreamTrack::new).model(snapshot.getModelSpec(), spec);
        if (parameters.length != model.parameterCount()) {
            throw new IllegalArgumentException(parameters.length + " parameters, the spec '" + snapshot.getModelSpec()
                    + "' has " + model.parameterCount());
        }
        model.loadParameters(parameters);
        Map<String, TaskMetrics> tasks = new LinkedHashMap<>();
        for (String task : tasksToScore(snapshot)) {
            tasks.put(task, scoreTask(snapshot.getStream(), task, model, spec));
        }
        return tasks;
    }

    /** The tasks an evaluation of {@code snapshot} reports: its seen tasks, plus the task-free set for a task-free snapshot. */
    static List<String> tasksToScore(ModelSnapshot snapshot) {
        List<String> tasks = new ArrayList<>(snapshot.getSeenTasks());
        if (snapshot.getTask() == null && !tasks.contains(EvalIntake.TASK_FREE)) {
            tasks.add(EvalIntake.TASK_FREE);
        }
        return tasks;
    }

    private TaskMetrics scoreTask(String stream, String task, Model model, ModelSpec spec) {
        Optional<EvalSet> set = intake.set(stream, task);
        if (set.isEmpty()) {
            return new TaskMetrics(null, null, 0L);
        }
        EvalBatches.Prepared prepared = batches.prepare(set.get(), spec);
        if (prepared.problem() != null) {
            return new TaskMetrics(null, null, 0L);
        }
        try {
            EvalResult r = model.evaluate(prepared.batch());
            return new TaskMetrics(r.accuracy(), r.meanLoss(), r.count());
        } catch (IllegalArgumentException e) {
            return new TaskMetrics(null, null, 0L);
        }
    }

    @Override
    public void close() {
        models.values().forEach(StreamTrack::close);
        models.clear();
    }
}
