package io.clpipe.evaluator.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * a(k, j): the most recent score on task j recorded while task k was being learned (so, for a
 * trace that scores every task at every evaluation, the score at the last evaluated iteration of
 * task k), and the metrics derived from it. The row of the task being learned now is provisional.
 */
final class AccuracyMatrix {

    private final Map<String, Map<String, Double>> rows = new HashMap<>();
    private int cells;

    void put(String learningTask, String evalTask, double score) {
        Map<String, Double> row = rows.computeIfAbsent(learningTask, k -> new HashMap<>());
        if (row.put(evalTask, score) == null) {
            cells++;
        }
    }

    Double get(String learningTask, String evalTask) {
        Map<String, Double> row = rows.get(learningTask);
        return row == null ? null : row.get(evalTask);
    }

    int cells() {
        return cells;
    }

    /** Every recorded cell, sorted by (learning task, eval task) so that the export is canonical. */
    List<EngineState.Cell> export() {
        List<EngineState.Cell> out = new ArrayList<>(cells);
        rows.forEach((k, row) -> row.forEach((j, v) -> out.add(new EngineState.Cell(k, j, v))));
        out.sort(Comparator.comparing(EngineState.Cell::learningTask).thenComparing(EngineState.Cell::evalTask));
        return out;
    }

    /**
     * Chaudhry's forgetting per earlier task j: the best a(l, j) over the rows l of the other learned
     * tasks (all of which ended before now) minus a(current, j), as a drop in goodness.
     */
    Map<String, Double> forgetting(List<String> learned, String current, Direction direction) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String j : learned) {
            Double now = j.equals(current) ? null : get(current, j);
            if (now == null) {
                continue;
            }
            Double best = null;
            for (String l : learned) {
                Double v = l.equals(current) ? null : get(l, j);
                if (v != null) {
                    best = best == null ? v : direction.better(best, v);
                }
            }
            if (best != null) {
                out.put(j, direction.drop(best, now));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** BWT: mean over earlier tasks i of the gain from a(i, i) to a(current, i). */
    Double backwardTransfer(List<String> learned, String current, Direction direction) {
        double sum = 0;
        int n = 0;
        for (String i : learned) {
            Double diagonal = get(i, i);
            Double now = i.equals(current) ? null : get(current, i);
            if (diagonal != null && now != null) {
                sum += direction.gain(diagonal, now);
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    /**
     * FWT: mean over the 2nd…m-th learned tasks i of the gain from the initial model's b_i to
     * a(i − 1, i); null unless every term is known.
     */
    Double forwardTransfer(List<String> learned, Function<String, Double> initial, Direction direction) {
        if (learned.size() < 2) {
            return null;
        }
        double sum = 0;
        for (int p = 1; p < learned.size(); p++) {
            String task = learned.get(p);
            Double before = get(learned.get(p - 1), task);
            Double b = initial.apply(task);
            if (before == null || b == null) {
                return null;
            }
            sum += direction.gain(b, before);
        }
        return sum / (learned.size() - 1);
    }

    /** Mean of the diagonal a(i, i) where known. */
    Double learningAccuracy(List<String> learned) {
        double sum = 0;
        int n = 0;
        for (String i : learned) {
            Double v = get(i, i);
            if (v != null) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    /** Rows for {@code rowTasks}, columns for {@code columnTasks}; null where nothing was recorded. */
    List<List<Double>> render(List<String> rowTasks, List<String> columnTasks) {
        List<List<Double>> out = new ArrayList<>(rowTasks.size());
        for (String k : rowTasks) {
            List<Double> row = new ArrayList<>(columnTasks.size());
            for (String j : columnTasks) {
                row.add(get(k, j));
            }
            out.add(Collections.unmodifiableList(row));
        }
        return Collections.unmodifiableList(out);
    }
}
