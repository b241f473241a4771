package io.clpipe.bench.soak;

import java.time.Duration;

/**
 * Settings of {@code clpipe bench soak}: a small, fast pipeline (MNIST features, small MLP, modest
 * evaluation cadence) so that a million samples take minutes, not hours.
 *
 * @param samples          training samples to stream (eval samples come on top, one per {@code evalEvery})
 * @param samplesPerTask   training samples of one Split-MNIST task before the next starts (tasks recur)
 * @param evalEvery        one eval sample per this many training samples
 * @param hidden           hidden widths of the MLP, comma-separated
 * @param batchSize        learner batch (new plus replayed)
 * @param replayCapacity   class-balanced replay buffer capacity (the learner's bound)
 * @param evalPeriod       snapshot cadence in steps (and 10 dense ones after a boundary)
 * @param evalSetSize      samples per task in the evaluator's eval set (its bound)
 * @param serviceHeap      -Xmx of each service JVM
 * @param sampleEvery      how often heap (after a forced GC) and RSS are read
 * @param maxAhead         training samples the producer may run ahead of the learner
 * @param classpath        the class path of the service JVMs
 */
public record SoakConfig(long samples, int samplesPerTask, int evalEvery, String hidden, int batchSize, int replayCapacity,
                         int evalPeriod, int evalSetSize, String serviceHeap, Duration sampleEvery, int maxAhead,
                         String classpath) {

    public SoakConfig {
        if (samples <= 0 || samplesPerTask <= 0 || evalEvery <= 0 || batchSize <= 0 || replayCapacity <= 0 || evalPeriod <= 0
                || evalSetSize <= 0 || maxAhead <= 0) {
            throw new IllegalArgumentException("soak sizes must be positive");
        }
    }

    public static SoakConfig defaults() {
        return new SoakConfig(1_000_000, 20_000, 10, "64", 128, 2000, 50, 1000, "768m", Duration.ofSeconds(15), 60_000,
                System.getProperty("java.class.path"));
    }

    public SoakConfig withSamples(long n) {
        return new SoakConfig(n, samplesPerTask, evalEvery, hidden, batchSize, replayCapacity, evalPeriod, evalSetSize,
                serviceHeap, sampleEvery, maxAhead, classpath);
    }

    public SoakConfig withSamplesPerTask(int n) {
        return new SoakConfig(samples, n, evalEvery, hidden, batchSize, replayCapacity, evalPeriod, evalSetSize,
                serviceHeap, sampleEvery, maxAhead, classpath);
    }

    public SoakConfig withBounds(int replay, int evalSet) {
        return new SoakConfig(samples, samplesPerTask, evalEvery, hidden, batchSize, replay, evalPeriod, evalSet,
                serviceHeap, sampleEvery, maxAhead, classpath);
    }

    public SoakConfig withSampleEvery(Duration every) {
        return new SoakConfig(samples, samplesPerTask, evalEvery, hidden, batchSize, replayCapacity, evalPeriod, evalSetSize,
                serviceHeap, every, maxAhead, classpath);
    }

    public SoakConfig withClasspath(String cp) {
        return new SoakConfig(samples, samplesPerTask, evalEvery, hidden, batchSize, replayCapacity, evalPeriod, evalSetSize,
                serviceHeap, sampleEvery, maxAhead, cp);
    }
}
