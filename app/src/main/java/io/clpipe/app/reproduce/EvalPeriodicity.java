package io.clpipe.app.reproduce;

import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.avro.IterationMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an evaluation every ρ iterations would have seen of a run evaluated at every iteration.
 *
 * <p>The evaluator scores each snapshot on fixed eval subsets, so A(i, n) does not depend on when
 * else the model was evaluated: keeping the ρ = 1 records of the iterations a ρ-periodic evaluation
 * scores gives exactly the records that evaluation would have published. Those iterations are
 * n mod ρ = 0 (which includes the initial model, n = 0) and the last iteration of every task, where
 * standard continual-learning evaluation always scores (Avalanche evaluates at the end of each
 * experience; De Lange et al. 2023, Fig. 2, compare against evaluation at task transitions). Without
 * the task ends a large ρ could skip a whole task, and the accuracy matrix, forgetting and min-ACC
 * would not be defined.
 */
final class EvalPeriodicity {

    /** One evaluated iteration and the task being learned at it (null for the initial model). */
    record Point(long iteration, String task) {
    }

    private EvalPeriodicity() {
    }

    /**
     * @param points the evaluated iterations of a run, in increasing iteration order
     * @param rho    ρ ≥ 1
     * @return the iterations of {@code points} a ρ-periodic evaluation scores
     */
    static SortedSet<Long> keptIterations(List<Point> points, int rho) {
        if (rho < 1) {
            throw new IllegalArgumentException("ρ must be >= 1, got " + rho);
        }
        SortedSet<Long> kept = new TreeSet<>();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (i > 0 && p.iteration() <= points.get(i - 1).iteration()) {
                throw new IllegalArgumentException("iterations must increase: " + points.get(i - 1).iteration() + " then " + p.iteration());
            }
            boolean taskEnd = p.task() != null && (i + 1 == points.size() || !Objects.equals(p.task(), points.get(i + 1).task()));
            if (p.iteration() % rho == 0 || taskEnd) {
                kept.add(p.iteration());
            }
        }
        return kept;
    }

    /**
     * The metric records (JSON lines of one stream) a ρ-periodic evaluation would have published, in
     * iteration order. A repeated iteration keeps its last record, as the run report does.
     */
    static List<String> subsample(List<String> metricsLines, int rho) {
        TreeMap<Long, String> lineByIteration = new TreeMap<>();
        TreeMap<Long, Point> pointByIteration = new TreeMap<>();
        for (String line : metricsLines) {
            IterationMetrics m = MetricsJson.parse(line.getBytes(StandardCharsets.UTF_8));
            lineByIteration.put(m.getIteration(), line);
            pointByIteration.put(m.getIteration(), new Point(m.getIteration(), m.getIteration() == 0 ? null : m.getTask()));
        }
        List<String> out = new ArrayList<>();
        for (long n : keptIterations(new ArrayList<>(pointByIteration.values()), rho)) {
            out.add(lineByIteration.get(n));
        }
        return out;
    }
}
