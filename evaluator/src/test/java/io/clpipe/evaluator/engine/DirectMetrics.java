package io.clpipe.evaluator.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test oracle: every metric recomputed straight from its definition over the whole trace kept in
 * memory (quadratic and unbounded on purpose), independent of the engine's incremental state.
 */
final class DirectMetrics {

    private final EngineConfig config;
    private final Direction d;
    private final List<Evaluation> trained = new ArrayList<>();
    private final Map<String, Double> initial = new LinkedHashMap<>();
    private final List<String> learned = new ArrayList<>();
    private final Set<String> evaluatedOrder = new LinkedHashSet<>();

    DirectMetrics(EngineConfig config, List<Evaluation> trace) {
        this.config = config;
        this.d = config.direction();
        for (Evaluation e : trace) {
            evaluatedOrder.addAll(e.scores().keySet());
            if (e.initialModel()) {
                initial.putAll(e.scores());
                continue;
            }
            trained.add(e);
            if (!learned.contains(e.learningTask())) {
                learned.add(e.learningTask());
            }
        }
    }

    String current() {
        return trained.isEmpty() ? null : trained.get(trained.size() - 1).learningTask();
    }

    List<String> columns() {
        List<String> columns = new ArrayList<>(learned);
        evaluatedOrder.stream().filter(t -> !learned.contains(t)).forEach(columns::add);
        return columns;
    }

    List<String> learned() {
        return learned;
    }

    private Double latest(String task) {
        Double v = null;
        for (Evaluation e : trained) {
            v = e.scores().getOrDefault(task, v);
        }
        return v;
    }

    private long lastLearningIteration(String task) {
        long t = -1;
        for (Evaluation e : trained) {
            if (e.learningTask().equals(task)) {
                t = e.iteration();
            }
        }
        return t;
    }

    private long firstLearningIteration(String task) {
        for (Evaluation e : trained) {
            if (e.learningTask().equals(task)) {
                return e.iteration();
            }
        }
        return Long.MAX_VALUE;
    }

    Double acc() {
        List<Double> v = new ArrayList<>();
        learned.forEach(t -> {
            if (latest(t) != null) {
                v.add(latest(t));
            }
        });
        return mean(v);
    }

    Double minAcc() {
        List<Double> v = new ArrayList<>();
        for (String i : learned) {
            if (i.equals(current())) {
                continue;
            }
            long end = lastLearningIteration(i);
            Double worst = null;
            for (Evaluation e : trained) {
                Double s = e.scores().get(i);
                if (e.iteration() > end && s != null) {
                    worst = worst == null ? s : d.worse(worst, s);
                }
            }
            if (worst != null) {
                v.add(worst);
            }
        }
        return mean(v);
    }

    Double wcAcc() {
        if (current() == null || latest(current()) == null) {
            return null;
        }
        int k = learned.size();
        double a = latest(current());
        if (k == 1) {
            return a;
        }
        Double min = minAcc();
        return min == null ? null : (1.0 / k) * a + (1 - 1.0 / k) * min;
    }

    Double windowed(int w, boolean forgetting) {
        if (learned.isEmpty()) {
            return null;
        }
        List<Double> perTask = new ArrayList<>();
        for (String i : learned) {
            long from = firstLearningIteration(i);
            List<Double> g = new ArrayList<>();
            for (Evaluation e : trained) {
                if (e.iteration() >= from && e.scores().containsKey(i)) {
                    g.add(d.goodness(e.scores().get(i)));
                }
            }
            double best = 0;
            for (int p = 0; p < g.size(); p++) {
                for (int q = p + 1; q < g.size() && q - p <= w - 1; q++) {
                    best = Math.max(best, forgetting ? g.get(p) - g.get(q) : g.get(q) - g.get(p));
                }
            }
            perTask.add(best);
        }
        return mean(perTask);
    }

    Double lca() {
        List<Double> areas = new ArrayList<>();
        for (String i : learned) {
            List<Double> first = new ArrayList<>();
            for (Evaluation e : trained) {
                if (e.learningTask().equals(i) && e.scores().containsKey(i) && first.size() < config.lcaBeta()) {
                    first.add(e.scores().get(i));
                }
            }
            if (first.size() == config.lcaBeta()) {
                areas.add(mean(first));
            }
        }
        return mean(areas);
    }

    Double a(String row, String column) {
        Double v = null;
        for (Evaluation e : trained) {
            if (e.learningTask().equals(row)) {
                v = e.scores().getOrDefault(column, v);
            }
        }
        return v;
    }

    Map<String, Double> forgettingByTask() {
        Map<String, Double> out = new LinkedHashMap<>();
        String k = current();
        for (String j : learned) {
            if (j.equals(k) || a(k, j) == null) {
                continue;
            }
            Double best = null;
            for (String l : learned) {
                if (!l.equals(k) && a(l, j) != null) {
                    best = best == null ? a(l, j) : d.better(best, a(l, j));
                }
            }
            if (best != null) {
                out.put(j, d.drop(best, a(k, j)));
            }
        }
        return out;
    }

    Double bwt() {
        List<Double> v = new ArrayList<>();
        for (String i : learned) {
            if (!i.equals(current()) && a(i, i) != null && a(current(), i) != null) {
                v.add(d.goodness(a(current(), i)) - d.goodness(a(i, i)));
            }
        }
        return mean(v);
    }

    Double fwt() {
        if (learned.size() < 2) {
            return null;
        }
        List<Double> v = new ArrayList<>();
        for (int p = 1; p < learned.size(); p++) {
            String i = learned.get(p);
            Double before = a(learned.get(p - 1), i);
            if (before == null || !initial.containsKey(i)) {
                return null;
            }
            v.add(d.goodness(before) - d.goodness(initial.get(i)));
        }
        return mean(v);
    }

    Double learningAccuracy() {
        List<Double> v = new ArrayList<>();
        learned.forEach(i -> {
            if (a(i, i) != null) {
                v.add(a(i, i));
            }
        });
        return mean(v);
    }

    List<StabilityGap> gaps() {
        List<Integer> boundaries = new ArrayList<>();
        for (int m = 1; m < trained.size(); m++) {
            if (!trained.get(m).learningTask().equals(trained.get(m - 1).learningTask())) {
                boundaries.add(m);
            }
        }
        List<StabilityGap> out = new ArrayList<>();
        for (int bi = 0; bi < boundaries.size(); bi++) {
            int m = boundaries.get(bi);
            int end = bi + 1 < boundaries.size() ? boundaries.get(bi + 1) : trained.size();
            // b is the old task's last evaluated iteration, the one just before the first new-task evaluation
            long b = trained.get(m - 1).iteration();
            String next = trained.get(m).learningTask();
            for (String i : learned) {
                if (i.equals(next) || firstLearningIteration(i) > b) {
                    continue;
                }
                Double before = null;
                long beforeIteration = -1;
                for (int q = 0; q < m; q++) {
                    if (trained.get(q).scores().containsKey(i)) {
                        before = trained.get(q).scores().get(i);
                        beforeIteration = trained.get(q).iteration();
                    }
                }
                if (before == null) {
                    continue;
                }
                Double worst = null;
                Long worstIteration = null;
                boolean left = false;
                Long recovered = null;
                for (int q = m; q < end; q++) {
                    Double s = trained.get(q).scores().get(i);
                    if (s == null) {
                        continue;
                    }
                    if (worst == null || d.goodness(s) < d.goodness(worst)) {
                        worst = s;
                        worstIteration = trained.get(q).iteration();
                    }
                    boolean within = d.goodness(before) - d.goodness(s) <= config.recoveryTolerance() + 1e-12;
                    if (!within) {
                        left = true;
                    } else if (left && recovered == null) {
                        recovered = trained.get(q).iteration() - b;
                    }
                }
                Double depth = worst == null ? null : d.goodness(before) - d.goodness(worst);
                Long recovery = worst == null ? null : !left ? Long.valueOf(0L) : recovered;
                out.add(new StabilityGap(b, i, before, beforeIteration, worst, worstIteration, depth, recovery,
                        end == trained.size()));
            }
        }
        return out;
    }

    private static Double mean(List<Double> values) {
        return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
