package io.clpipe.learner.bench;

import java.util.Comparator;
import java.util.List;

/** Median of repeated timings (by throughput; an even count averages the middle two runs' times). */
final class Medians {

    private Medians() {
    }

    static StepTiming of(List<StepTiming> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        List<StepTiming> sorted = runs.stream().sorted(Comparator.comparingDouble(StepTiming::seconds)).toList();
        int n = sorted.size();
        StepTiming lower = sorted.get((n - 1) / 2);
        StepTiming upper = sorted.get(n / 2);
        return new StepTiming(lower.batch(), lower.steps(), (lower.seconds() + upper.seconds()) / 2);
    }
}
