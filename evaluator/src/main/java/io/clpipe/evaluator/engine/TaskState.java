package io.clpipe.evaluator.engine;

import java.util.List;

/** What the engine remembers about one task; all of it is O(1) in the length of the stream. */
final class TaskState {

    final String id;
    /** Position in the learning order, or −1 while the task has only been evaluated. */
    int learnOrder = -1;
    Double latest;
    long latestIteration;
    /** Worst score since the task last stopped being learned (for min-ACC); null before any. */
    Double worstSinceEnd;
    Double initial;
    WindowedChange window;
    LearningCurve curve;

    TaskState(String id) {
        this.id = id;
    }

    boolean learned() {
        return learnOrder >= 0;
    }

    void startLearning(int order, EngineConfig config) {
        learnOrder = order;
        window = new WindowedChange(config.windows());
        curve = new LearningCurve(config.lcaBeta());
    }

    EngineState.Task export() {
        if (!learned()) {
            return new EngineState.Task(id, -1, latest, latestIteration, worstSinceEnd, initial, List.of(), List.of(),
                    List.of(), 0, 0);
        }
        return new EngineState.Task(id, learnOrder, latest, latestIteration, worstSinceEnd, initial, window.recent(),
                window.maxDrops(), window.maxRises(), curve.count(), curve.sum());
    }

    static TaskState restore(EngineState.Task state, EngineConfig config) {
        TaskState task = new TaskState(state.id());
        task.latest = state.latest();
        task.latestIteration = state.latestIteration();
        task.worstSinceEnd = state.worstSinceEnd();
        task.initial = state.initial();
        if (state.learnOrder() >= 0) {
            task.startLearning(state.learnOrder(), config);
            task.window.restore(state.recentGoodness(), state.maxDrop(), state.maxRise());
            task.curve.restore(state.curveCount(), state.curveSum());
        }
        return task;
    }
}
