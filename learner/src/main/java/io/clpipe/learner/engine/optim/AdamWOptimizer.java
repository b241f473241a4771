package io.clpipe.learner.engine.optim;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * AdamW; see {@link OptimizerSpec.AdamW}. Decay, both moments and the step are one {@link FlatPass}
 * over the flat vectors, in float32, in the order of PyTorch's single-tensor AdamW.
 */
final class AdamWOptimizer implements Optimizer {

    private final OptimizerSpec.AdamW spec;
    private final INDArray firstMoment;
    private final INDArray secondMoment;
    private final FlatPass pass;
    private long steps;

    AdamWOptimizer(OptimizerSpec.AdamW spec, long parameterCount) {
        this.spec = spec;
        this.firstMoment = Nd4j.zeros(DataType.FLOAT, 1, parameterCount);
        this.secondMoment = Nd4j.zeros(DataType.FLOAT, 1, parameterCount);
        this.pass = new FlatPass(parameterCount, stateVectors());
    }

    @Override
    public String kind() {
        return "adamw";
    }

    @Override
    public void step(INDArray parameters, INDArray gradients, double lr) {
        pass.bind(parameters, gradients);
        steps++;
        // PyTorch: θ *= 1 − lr·λ; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
        // θ −= (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
        float decay = (float) (1 - lr * spec.weightDecay());
        float beta1 = (float) spec.beta1();
        float beta2 = (float) spec.beta2();
        float oneMinusBeta1 = (float) (1 - spec.beta1());
        float oneMinusBeta2 = (float) (1 - spec.beta2());
        float stepSize = (float) (lr / (1 - Math.pow(spec.beta1(), steps)));
        float inverseCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(spec.beta2(), steps)));
        float epsilon = (float) spec.epsilon();
        float[] p = pass.parameterChunk();
        float[] g = pass.gradientChunk();
        float[] m = pass.stateChunk(0);
        float[] v = pass.stateChunk(1);
        int n = pass.length();
        for (int from = 0; from < n; from += FlatPass.CHUNK) {
            int len = Math.min(FlatPass.CHUNK, n - from);
            pass.load(from, len);
            for (int i = 0; i < len; i++) {
                float gi = g[i];
                float mi = beta1 * m[i] + oneMinusBeta1 * gi;
                float vi = beta2 * v[i] + oneMinusBeta2 * gi * gi;
                m[i] = mi;
                v[i] = vi;
                float denominator = (float) Math.sqrt(vi) * inverseCorrection2 + epsilon;
                p[i] = p[i] * decay - stepSize * mi / denominator;
            }
            pass.store(from, len);
        }
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
