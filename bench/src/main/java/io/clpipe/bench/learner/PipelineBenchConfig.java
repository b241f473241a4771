package io.clpipe.bench.learner;

import java.util.List;

/**
 * Settings of {@code clpipe bench pipeline} (the learner part).
 *
 * @param samples         MNIST training images put on the training topic and fed from memory (at most 60,000)
 * @param batchSize       samples per step (no replay: all new)
 * @param hidden          hidden widths of the MLP 784-…-10
 * @param snapshotPeriods snapshot cadences compared, in iterations; {@link #SNAPSHOTS_OFF} for none after version 0
 * @param repeats         interleaved repeats; the table shows medians and ranges
 * @param seed            seeds the model and the learner
 */
public record PipelineBenchConfig(int samples, int batchSize, List<Integer> hidden, List<Integer> snapshotPeriods, int repeats,
                                  long seed) {

    /** An evaluation period no run reaches: only the untrained model (version 0) is published. */
    public static final int SNAPSHOTS_OFF = Integer.MAX_VALUE;

    public PipelineBenchConfig {
        hidden = List.copyOf(hidden);
        snapshotPeriods = List.copyOf(snapshotPeriods);
        if (samples < 2 * batchSize || batchSize <= 0 || repeats <= 0 || hidden.isEmpty() || snapshotPeriods.isEmpty()) {
            throw new IllegalArgumentException("need batch > 0, at least two batches of samples, repeats > 0, hidden widths and"
                    + " snapshot periods");
        }
        if (hidden.stream().anyMatch(h -> h <= 0) || snapshotPeriods.stream().anyMatch(p -> p <= 0)) {
            throw new IllegalArgumentException("hidden widths and snapshot periods must be positive");
        }
    }

    /**
     * The benchmark: all 60,000 MNIST training images, batch 128, MLP 784-256-256-10, snapshots
     * every 50 iterations (the service's default plan) and off, 5 repeats.
     */
    public static PipelineBenchConfig defaults() {
        return new PipelineBenchConfig(60_000, 128, List.of(256, 256), List.of(50, SNAPSHOTS_OFF), 5, 42);
    }

    public PipelineBenchConfig withSamples(int v) {
        return new PipelineBenchConfig(v, batchSize, hidden, snapshotPeriods, repeats, seed);
    }

    public PipelineBenchConfig withRepeats(int v) {
        return new PipelineBenchConfig(samples, batchSize, hidden, snapshotPeriods, v, seed);
    }

    public PipelineBenchConfig withSnapshotPeriods(List<Integer> v) {
        return new PipelineBenchConfig(samples, batchSize, hidden, v, repeats, seed);
    }

    /** Samples a run trains: whole batches only, the tail stays pending as in the service. */
    public int trainedSamples() {
        return samples / batchSize * batchSize;
    }

    static String describePeriod(int period) {
        return period == SNAPSHOTS_OFF ? "off" : "every " + period;
    }
}
