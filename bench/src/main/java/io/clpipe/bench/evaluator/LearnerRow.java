package io.clpipe.bench.evaluator;

/**
 * The learner's step rate on the same MLP at one OpenBLAS thread count.
 *
 * @param stepsPerSecond     fused SGD steps per second (no snapshot)
 * @param snapshotsPerSecond steps per second when every step also encodes a snapshot (ρ = 1)
 */
public record LearnerRow(int blasThreads, int batch, Spread stepsPerSecond, Spread snapshotsPerSecond) {
}
