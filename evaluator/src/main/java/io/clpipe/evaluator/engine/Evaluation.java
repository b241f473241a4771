package io.clpipe.evaluator.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One input of the engine: the model after {@code iteration} updates, trained on
 * {@code learningTask} at that iteration, scored on some tasks' eval sets.
 *
 * <p>Iteration 0 is the untrained (initial) model: its scores are the b_i of forward transfer and
 * feed nothing else; its learning task may be null.
 *
 * @param scores task → A(task, iteration) (accuracy or loss, see {@link Direction}), in the order given
 */
public record Evaluation(long iteration, String learningTask, Map<String, Double> scores) {

    public Evaluation {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        if (iteration > 0 && (learningTask == null || learningTask.isBlank())) {
            throw new IllegalArgumentException("iteration " + iteration + " needs a learning task");
        }
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("iteration " + iteration + " has no scores");
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        scores.forEach((task, score) -> {
            if (task == null || task.isBlank()) {
                throw new IllegalArgumentException("iteration " + iteration + " scores a blank task");
            }
            if (score == null || !Double.isFinite(score)) {
                throw new IllegalArgumentException("iteration " + iteration + ": score of " + task + " is " + score);
            }
            copy.put(task, score);
        });
        scores = Collections.unmodifiableMap(copy);
    }

    public boolean initialModel() {
        return iteration == 0;
    }
}
