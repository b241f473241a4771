package io.clpipe.learner.engine.optim;

import java.util.List;
import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** AdamW; see {@link OptimizerSpec.AdamW}. One scratch vector makes the step allocation-free. */
final class AdamWOptimizer implements Optimizer {

    private final OptimizerSpec.AdamW spec;
    private final INDArray firstMoment;
    private final INDArray secondMoment;
    private final INDArray scratch;
    private final Level1 blas = Nd4j.getBlasWrapper().level1();
    private long steps;

    AdamWOptimizer(OptimizerSpec.AdamW spec, long parameterCount) {
        this.spec = spec;
        this.firstMoment = Nd4j.zeros(DataType.FLOAT, 1, parameterCount);
        this.secondMoment = Nd4j.zeros(DataType.FLOAT, 1, parameterCount);
        this.scratch = Nd4j.zeros(DataType.FLOAT, 1, parameterCount);
    }

    @Override
    public String kind() {
        return "adamw";
    }

    @Override
    public void step(INDArray parameters, INDArray gradients, double lr) {
        long n = parameters.length();
        steps++;
        if (spec.weightDecay() > 0) {
            blas.scal(n, 1 - lr * spec.weightDecay(), parameters);
        }
        blas.scal(n, spec.beta1(), firstMoment);
        blas.axpy(n, 1 - spec.beta1(), gradients, firstMoment);

        scratch.assign(gradients).muli(gradients);
        blas.scal(n, spec.beta2(), secondMoment);
        blas.axpy(n, 1 - spec.beta2(), scratch, secondMoment);

        double biasCorrection1 = 1 - Math.pow(spec.beta1(), steps);
        double biasCorrection2 = 1 - Math.pow(spec.beta2(), steps);
        // denominator = sqrt(v) / sqrt(bc2) + eps; update = m / denominator, as torch.optim.AdamW
        scratch.assign(secondMoment);
        Transforms.sqrt(scratch, false);
        scratch.muli(1 / Math.sqrt(biasCorrection2)).addi(spec.epsilon());
        scratch.rdivi(firstMoment);
        blas.axpy(n, -lr / biasCorrection1, scratch, parameters);
    }

    @Override
    public void reset() {
        firstMoment.assign(0);
        secondMoment.assign(0);
        steps = 0;
    }

    @Override
    public List<INDArray> stateVectors() {
        return List.of(firstMoment, secondMoment);
    }

    @Override
    public long stepCount() {
        return steps;
    }

    @Override
    public void restoreStepCount(long steps) {
        this.steps = steps;
    }
}
