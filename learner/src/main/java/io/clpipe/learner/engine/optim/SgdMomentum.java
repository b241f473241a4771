package io.clpipe.learner.engine.optim;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SGD with optional momentum and Nesterov; see {@link OptimizerSpec.Sgd} for the exact update. The
 * whole update (decay, velocity, step) is one {@link FlatPass} over the flat vectors, in float32.
 */
final class SgdMomentum implements Optimizer {

    private final OptimizerSpec.Sgd spec;
    private final INDArray velocity;
    private final FlatPass pass;
    private long steps;

    SgdMomentum(OptimizerSpec.Sgd spec, long parameterCount) {
        this.spec = spec;
        this.velocity = spec.momentum() > 0 ? Nd4j.zeros(DataType.FLOAT, 1, parameterCount) : null;
        this.pass = new FlatPass(parameterCount, stateVectors());
    }

    @Override
    public String kind() {
        return "sgd";
    }

    @Override
    public void step(INDArray parameters, INDArray gradients, double lr) {
        pass.bind(parameters, gradients);
        float rate = (float) lr;
        float mu = (float) spec.momentum();
        float decay = (float) spec.weightDecay();
        float[] p = pass.parameterChunk();
        float[] g = pass.gradientChunk();
        float[] v = velocity == null ? null : pass.stateChunk(0);
        int n = pass.length();
        for (int from = 0; from < n; from += FlatPass.CHUNK) {
            int len = Math.min(FlatPass.CHUNK, n - from);
            pass.load(from, len);
            if (decay > 0) {
                for (int i = 0; i < len; i++) {
                    g[i] += decay * p[i];
                }
            }
            if (v == null) {
                for (int i = 0; i < len; i++) {
                    p[i] -= rate * g[i];
                }
            } else if (spec.nesterov()) {
                for (int i = 0; i < len; i++) {
                    float vi = mu * v[i] + g[i];
                    v[i] = vi;
                    p[i] -= rate * (g[i] + mu * vi);
                }
            } else {
                for (int i = 0; i < len; i++) {
                    float vi = mu * v[i] + g[i];
                    v[i] = vi;
                    p[i] -= rate * vi;
                }
            }
            pass.store(from, len);
        }
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
