package io.clpipe.learner.engine.optim;

import java.util.List;
import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** SGD with optional momentum and Nesterov; see {@link OptimizerSpec.Sgd} for the exact update. */
final class SgdMomentum implements Optimizer {

    private final OptimizerSpec.Sgd spec;
    private final INDArray velocity;
    private final Level1 blas = Nd4j.getBlasWrapper().level1();
    private long steps;

    SgdMomentum(OptimizerSpec.Sgd spec, long parameterCount) {
        this.spec = spec;
        this.velocity = spec.momentum() > 0 ? Nd4j.zeros(DataType.FLOAT, 1, parameterCount) : null;
    }

    @Override
    public String kind() {
        return "sgd";
    }

    @Override
    public void step(INDArray parameters, INDArray gradients, double lr) {
        long n = parameters.length();
        if (spec.weightDecay() > 0) {
            blas.axpy(n, spec.weightDecay(), parameters, gradients);
        }
        INDArray direction = gradients;
        if (velocity != null) {
            blas.scal(n, spec.momentum(), velocity);
            blas.axpy(n, 1.0, gradients, velocity);
            if (spec.nesterov()) {
                blas.axpy(n, spec.momentum(), velocity, gradients);
            } else {
                direction = velocity;
            }
        }
        blas.axpy(n, -lr, direction, parameters);
        steps++;
    }

    @Override
    public void reset() {
        if (velocity != null) {
            velocity.assign(0);
        }
        steps = 0;
    }

    @Override
    public List<INDArray> stateVectors() {
        return velocity == null ? List.of() : List.of(velocity);
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
