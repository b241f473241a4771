package io.clpipe.bench.learner;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Median of repeated timings (by throughput; an even count averages the middle two runs' times). */
final class Medians {

    private Medians() {
    }

    /** Median of {@code a[i] / b[i]} (same-repeat pairs) by samples per second. */
    static double ofPairedRatios(List<StepTiming> a, List<StepTiming> b) {
        if (a.size() != b.size() || a.isEmpty()) {
            throw new IllegalArgumentException("need equally many runs on both sides, got " + a.size() + " and " + b.size());
        }
        double[] ratios = new double[a.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = a.get(i).samplesPerSecond() / b.get(i).samplesPerSecond();
        }
        Arrays.sort(ratios);
        int n = ratios.length;
        return (ratios[(n - 1) / 2] + ratios[n / 2]) / 2;
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
