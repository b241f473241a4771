package io.clpipe.evaluator.engine;

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
}
