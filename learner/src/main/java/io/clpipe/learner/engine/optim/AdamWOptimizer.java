package io.clpipe.learner.engine.optim;

import java.util.List;
import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/** AdamW; see {@link OptimizerSpec.AdamW}. The update goes through one preallocated scratch vector. */
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
        // libnd4j's fused adam_updater updates both moments and writes m·c/(√v + ε′) in one pass, with
        // c = lr·√(1−β2^t)/(1−β1^t). Called with lr = 1 (its lr = 0 would fall back to c = ε) and
        // ε′ = ε·√(1−β2^t), that is torch's m̂/(√v̂ + ε); the real lr is applied by the axpy.
        double biasCorrection2 = 1 - Math.pow(spec.beta2(), steps);
        Nd4j.exec(new AdamUpdater(gradients, secondMoment, firstMoment, scratch, secondMoment, firstMoment,
                1.0, spec.beta1(), spec.beta2(), spec.epsilon() * Math.sqrt(biasCorrection2), (int) (steps - 1)));
        blas.axpy(n, -lr, scratch, parameters);
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
