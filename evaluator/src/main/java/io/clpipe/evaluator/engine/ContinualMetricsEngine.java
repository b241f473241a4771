package io.clpipe.evaluator.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Continual-evaluation metrics maintained incrementally over a stream of evaluations (docs/metrics.md,
 * docs/metrics.md). Feed {@link Evaluation}s in increasing iteration order; a change of learning
 * task is a boundary. Memory is bounded by the number of tasks, the largest window and the gap
 * history ({@link #footprint()}), not by the number of evaluations. Not thread-safe.
 */
public final class ContinualMetricsEngine {

    private final EngineConfig config;
    private final Direction direction;
    private final Map<String, TaskState> tasks = new LinkedHashMap<>();
    private final List<TaskState> learned = new ArrayList<>();
    private final AccuracyMatrix matrix = new AccuracyMatrix();
    private final GapTracker gaps;
    private TaskState current;
    private long lastIteration = -1;
    private Map<String, Double> lastScores = Map.of();

    public ContinualMetricsEngine(EngineConfig config) {
        this.config = config;
        this.direction = config.direction();
        this.gaps = new GapTracker(direction, config.recoveryTolerance(), config.gapHistory());
    }

    public EngineConfig config() {
        return config;
    }

    /** Feeds one evaluation and returns the metrics after it. */
    public MetricsSnapshot record(Evaluation evaluation) {
        accept(evaluation);
        return snapshot();
    }

    /** Feeds one evaluation without building a snapshot. */
    public void accept(Evaluation evaluation) {
        long n = evaluation.iteration();
        if (n <= lastIteration) {
            throw new IllegalArgumentException("iterations must increase: " + n + " after " + lastIteration);
        }
        long previous = lastIteration;
        lastIteration = n;
        lastScores = evaluation.scores();
        if (evaluation.initialModel()) {
            evaluation.scores().forEach((task, score) -> state(task).initial = score);
            return;
        }
        TaskState learning = state(evaluation.learningTask());
        if (current != null && current != learning) {
            // the boundary is the old task's last evaluated iteration (the learner always publishes it)
            boundary(previous, learning);
        }
        if (!learning.learned()) {
            learning.startLearning(learned.size(), config);
            learned.add(learning);
        }
        current = learning;
        evaluation.scores().forEach((task, score) -> observe(state(task), n, score));
    }

    private void boundary(long b, TaskState next) {
        // min-ACC of the task just left counts from its (latest) end: t_i < n ≤ now.
        current.worstSinceEnd = null;
        List<TaskState> old = new ArrayList<>();
        for (TaskState task : learned) {
            if (task != next && task.latest != null) {
                old.add(task);
            }
        }
        gaps.boundary(b, old);
    }

    private void observe(TaskState task, long n, double score) {
        task.latest = score;
        task.latestIteration = n;
        matrix.put(current.id, task.id, score);
        if (task.learned()) {
            task.window.add(direction.goodness(score));
            if (task == current) {
                task.curve.add(score);
            } else {
                task.worstSinceEnd = task.worstSinceEnd == null ? score : direction.worse(task.worstSinceEnd, score);
            }
        }
        gaps.observe(task.id, n, score);
    }

    private TaskState state(String task) {
        return tasks.computeIfAbsent(task, TaskState::new);
    }

    /**
     * The latest boundary b whose stability gaps are still open (they close at the next boundary), or −1
     * when none is: a thinning evaluator scores every version shortly after it (docs/operations.md).
     */
    public long openGapBoundary() {
        return gaps.openBoundary();
    }

    /** The metrics after the latest evaluation. */
    public MetricsSnapshot snapshot() {
        if (lastIteration < 0) {
            throw new IllegalStateException("no evaluation recorded yet");
        }
        List<String> learnedIds = learned.stream().map(t -> t.id).toList();
        List<String> columns = new ArrayList<>(learnedIds);
        tasks.values().stream().filter(t -> !t.learned()).forEach(t -> columns.add(t.id));
        String k = current == null ? null : current.id;

        Double minAcc = minAcc();
        Map<String, Double> forgettingByTask = k == null ? Map.of() : matrix.forgetting(learnedIds, k, direction);
        return new MetricsSnapshot(lastIteration, k, direction, lastScores, columns, learned.size(), acc(), minAcc,
                wcAcc(minAcc), windowed(true), windowed(false), lca(), matrix.render(learnedIds, columns),
                forgettingByTask, mean(forgettingByTask.values()),
                k == null ? null : matrix.backwardTransfer(learnedIds, k, direction),
                matrix.forwardTransfer(learnedIds, id -> tasks.get(id).initial, direction),
                matrix.learningAccuracy(learnedIds), gaps.gaps(), initialScores(columns));
    }

    private Map<String, Double> initialScores(List<String> columns) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String id : columns) {
            Double b = tasks.get(id).initial;
            if (b != null) {
                out.put(id, b);
            }
        }
        return out;
    }

    /**
     * A score of the initial model on {@code task} obtained after iteration 0 was evaluated (the
     * task's eval set did not exist then): b_i of forward transfer. Ignored if b_i is known already.
     */
    public void recordInitialScore(String task, double score) {
        TaskState t = state(task);
        if (t.initial == null) {
            t.initial = score;
        }
    }

    /** b_i, if known. */
    public Double initialScore(String task) {
        TaskState t = tasks.get(task);
        return t == null ? null : t.initial;
    }

    /**
     * a(learningTask, evalTask) obtained late: the score on {@code evalTask} of the model at the last
     * evaluated iteration of {@code learningTask}, scored once {@code evalTask}'s eval set existed
     * (a(i−1, i) of forward transfer). Ignored if that cell is known already; it feeds the matrix only.
     */
    public void recordLateScore(String learningTask, String evalTask, double score) {
        state(evalTask);
        if (matrix.get(learningTask, evalTask) == null) {
            matrix.put(learningTask, evalTask, score);
        }
    }

    /** Whether {@code task} has been the learning task of some evaluation. */
    public boolean learned(String task) {
        TaskState t = tasks.get(task);
        return t != null && t.learned();
    }

    /** Whether a(learningTask, evalTask) is known. */
    public boolean hasScore(String learningTask, String evalTask) {
        return matrix.get(learningTask, evalTask) != null;
    }

    private Double acc() {
        List<Double> latest = new ArrayList<>();
        for (TaskState task : learned) {
            if (task.latest != null) {
                latest.add(task.latest);
            }
        }
        return mean(latest);
    }

    private Double minAcc() {
        List<Double> worst = new ArrayList<>();
        for (TaskState task : learned) {
            if (task != current && task.worstSinceEnd != null) {
                worst.add(task.worstSinceEnd);
            }
        }
        return mean(worst);
    }

    private Double wcAcc(Double minAcc) {
        if (current == null || current.latest == null) {
            return null;
        }
        int k = learned.size();
        if (k == 1) {
            return current.latest;
        }
        return minAcc == null ? null : current.latest / k + (1 - 1.0 / k) * minAcc;
    }

    private Map<Integer, Double> windowed(boolean forgetting) {
        Map<Integer, Double> out = new LinkedHashMap<>();
        List<Integer> windows = config.windows();
        for (int w = 0; w < windows.size(); w++) {
            List<Double> perTask = new ArrayList<>(learned.size());
            for (TaskState task : learned) {
                perTask.add(forgetting ? task.window.forgetting(w) : task.window.plasticity(w));
            }
            out.put(windows.get(w), mean(perTask));
        }
        return out;
    }

    private Double lca() {
        List<Double> areas = new ArrayList<>();
        for (TaskState task : learned) {
            Double area = task.curve.area();
            if (area != null) {
                areas.add(area);
            }
        }
        return mean(areas);
    }

    /** Everything this engine holds, for persistence; {@link #restore} continues from it exactly. */
    public EngineState exportState() {
        List<EngineState.Task> taskStates = new ArrayList<>(tasks.size());
        for (TaskState task : tasks.values()) {
            taskStates.add(task.export());
        }
        return new EngineState(config, lastIteration, current == null ? null : current.id, lastScores, taskStates,
                matrix.export(), gaps.exportOpen(), gaps.exportClosed());
    }

    /**
     * An engine in the exported state, with the state's settings.
     *
     * @throws IllegalArgumentException if the state is inconsistent (learning order with holes, an
     *                                  unknown current task, window state that does not fit)
     */
    public static ContinualMetricsEngine restore(EngineState state) {
        ContinualMetricsEngine engine = new ContinualMetricsEngine(state.config());
        TaskState[] byOrder = new TaskState[state.tasks().size()];
        int learnedCount = 0;
        for (EngineState.Task t : state.tasks()) {
            TaskState task = TaskState.restore(t, state.config());
            if (engine.tasks.put(task.id, task) != null) {
                throw new IllegalArgumentException("task " + task.id + " appears twice in the engine state");
            }
            if (task.learned()) {
                if (task.learnOrder >= byOrder.length || byOrder[task.learnOrder] != null) {
                    throw new IllegalArgumentException("learning order " + task.learnOrder + " of task " + task.id + " is invalid");
                }
                byOrder[task.learnOrder] = task;
                learnedCount++;
            }
        }
        for (int i = 0; i < learnedCount; i++) {
            if (byOrder[i] == null) {
                throw new IllegalArgumentException("learning order has a hole at " + i);
            }
            engine.learned.add(byOrder[i]);
        }
        if (state.currentTask() != null) {
            engine.current = engine.tasks.get(state.currentTask());
            if (engine.current == null || !engine.current.learned()) {
                throw new IllegalArgumentException("current task " + state.currentTask() + " is not a learned task");
            }
        }
        for (EngineState.Cell cell : state.matrix()) {
            engine.matrix.put(cell.learningTask(), cell.evalTask(), cell.score());
        }
        engine.gaps.restore(state.openGaps(), state.closedGaps());
        engine.lastIteration = state.lastIteration();
        engine.lastScores = state.lastScores();
        return engine;
    }

    /** Entry counts of everything held, to check that memory does not grow with the stream. */
    public Footprint footprint() {
        int windowValues = 0;
        for (TaskState task : learned) {
            windowValues += task.window.retained();
        }
        return new Footprint(tasks.size(), windowValues, matrix.cells(), gaps.openCount(), gaps.closedCount());
    }

    private static Double mean(Iterable<Double> values) {
        double sum = 0;
        int n = 0;
        for (Double v : values) {
            sum += v;
            n++;
        }
        return n == 0 ? null : sum / n;
    }
}
