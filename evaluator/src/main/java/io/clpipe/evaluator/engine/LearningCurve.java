package io.clpipe.evaluator.engine;

/** The first β scores of a task while it is being learned, for the learning curve area. */
final class LearningCurve {

    private final int beta;
    private int count;
    private double sum;

    LearningCurve(int beta) {
        this.beta = beta;
    }

    void add(double score) {
        if (count < beta) {
            count++;
            sum += score;
        }
    }

    /** Mean of the first β scores, or null until β have been seen (as in ContinualEvaluation). */
    Double area() {
        return count == beta ? sum / beta : null;
    }

    int count() {
        return count;
    }

    double sum() {
        return sum;
    }

    void restore(int restoredCount, double restoredSum) {
        if (restoredCount < 0 || restoredCount > beta) {
            throw new IllegalArgumentException("learning-curve count " + restoredCount + " outside 0.." + beta);
        }
        count = restoredCount;
        sum = restoredSum;
    }
}
