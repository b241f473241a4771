package io.clpipe.bench.learner;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One line of the table: medians over the repeats.
 *
 * @param nd4jBlasThreads the OpenBLAS threads ND4J used for this batch size
 * @param sgemmShare      ND4J's achieved forward+backward GFLOP/s over the measured sgemm peak
 * @param torch           PyTorch's timing with the same update rule, if the peer ran
 * @param ratio           ND4J samples/s over PyTorch samples/s: the median over repeats of the ratio
 *                        of the two runs made back to back in that repeat (robust to load that
 *                        drifts during the run), present when the peer ran every repeat
 */
public record BenchRow(int batch, Nd4jVariant variant, StepTiming nd4j, int nd4jBlasThreads, double sgemmShare,
                       Optional<StepTiming> torch, OptionalDouble ratio) {
}
