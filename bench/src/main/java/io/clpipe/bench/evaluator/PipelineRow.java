package io.clpipe.bench.evaluator;

/**
 * Full evaluations at one (OpenBLAS threads, chunk size) setting, over the repeats.
 *
 * @param evaluationsPerSecond   full evaluations per second (median, min, max over repeats)
 * @param decodeMs               median ms per evaluation decoding the snapshot into the model
 * @param forwardMs              median ms per evaluation in {@code Model.evaluate} over all tasks
 * @param metricsMs              median ms per evaluation in the metrics engine
 * @param forwardSamplesPerSecond samples scored per second of forward time (median)
 * @param forwardGflops          forward-pass GFLOP/s (matrix products only, median)
 * @param sgemmShare             {@code forwardGflops} over the sgemm peak at this thread count
 */
public record PipelineRow(int blasThreads, int chunk, Spread evaluationsPerSecond, double decodeMs, double forwardMs,
                          double metricsMs, double forwardSamplesPerSecond, double forwardGflops, double sgemmShare) {
}
