package io.clpipe.learner.bench;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One line of the table: medians over the repeats.
 *
 * @param nd4jBlasThreads the OpenBLAS threads ND4J used for this batch size
 * @param sgemmShare      ND4J's achieved forward+backward GFLOP/s over the measured sgemm peak
 * @param torch           PyTorch's timing with the same update rule, if the peer ran
 */
public record BenchRow(int batch, Nd4jVariant variant, StepTiming nd4j, int nd4jBlasThreads, double sgemmShare,
                       Optional<StepTiming> torch) {

    /** ND4J samples/s over PyTorch samples/s. */
    public OptionalDouble ratio() {
        return torch.map(t -> OptionalDouble.of(nd4j.samplesPerSecond() / t.samplesPerSecond())).orElse(OptionalDouble.empty());
    }
}
