package io.clpipe.bench.evaluator;

/**
 * Where one evaluation's time went.
 *
 * @param decode  snapshot bytes → Avro record → CRC-32C check → float32 decode → {@code loadParameters}
 * @param forward {@code Model.evaluate} on every task's eval subset
 * @param metrics {@code ContinualMetricsEngine.record} (update and snapshot of every metric)
 * @param samples samples scored by the forward pass
 */
record PhaseNanos(long decode, long forward, long metrics, long samples) {

    static final PhaseNanos ZERO = new PhaseNanos(0, 0, 0, 0);

    long total() {
        return decode + forward + metrics;
    }

    PhaseNanos plus(PhaseNanos other) {
        return new PhaseNanos(decode + other.decode, forward + other.forward, metrics + other.metrics, samples + other.samples);
    }
}
