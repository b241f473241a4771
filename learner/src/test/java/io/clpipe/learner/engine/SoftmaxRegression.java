package io.clpipe.learner.engine;

import io.clpipe.models.Batch;
import io.clpipe.models.EvalResult;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.NativeEnvironment;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test double: multinomial logistic regression (an MLP without hidden layers) written in plain Java
 * on top of the flat ND4J parameter and gradient vectors of the {@link Model} contract. Small and
 * exactly deterministic, so engine tests do not depend on the real models.
 */
final class SoftmaxRegression implements Model {

    static {
        // pick ND4J's CPU-specific build before the first ND4J call in the test JVM, as Models.create does
        NativeEnvironment.prepare();
    }

    private final ModelSpec.Mlp spec;
    private final int d;
    private final int c;
    private final INDArray params;
    private final INDArray grads;
    private int poisonedGradientCalls;

    SoftmaxRegression(int inputDim, int classes, int maxBatch, long seed) {
        this.spec = new ModelSpec.Mlp(inputDim, new int[0], classes, maxBatch);
        this.d = inputDim;
        this.c = classes;
        float[] init = new float[d * c + c];
        Xoshiro256 rng = new Xoshiro256(seed);
        for (int i = 0; i < d * c; i++) {
            init[i] = (float) ((rng.nextDouble() - 0.5) * 0.2);
        }
        this.params = Nd4j.createFromArray(init).reshape(1, init.length).castTo(DataType.FLOAT);
        this.grads = Nd4j.zeros(DataType.FLOAT, 1, init.length);
    }

    /** The next {@code calls} gradient computations write a NaN into the gradient (loss stays finite). */
    void poisonGradients(int calls) {
        this.poisonedGradientCalls = calls;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public long parameterCount() {
        return params.length();
    }

    @Override
    public INDArray parameters() {
        return params;
    }

    @Override
    public INDArray gradients() {
        return grads;
    }

    @Override
    public double computeGradients(Batch batch) {
        float[] w = params.toFloatVector();
        float[] g = new float[w.length];
        double weightSum = 0;
        for (int r = 0; r < batch.size(); r++) {
            weightSum += weight(batch, r);
        }
        double lossSum = 0;
        double[] p = new double[c];
        for (int r = 0; r < batch.size(); r++) {
            lossSum += weight(batch, r) * forward(w, batch, r, p);
            double coef = weight(batch, r) / weightSum;
            p[batch.labels()[r]] -= 1;
            for (int j = 0; j < c; j++) {
                float dz = (float) (coef * p[j]);
                for (int i = 0; i < d; i++) {
                    g[i * c + j] += batch.features()[r * d + i] * dz;
                }
                g[d * c + j] += dz;
            }
        }
        if (poisonedGradientCalls > 0) {
            poisonedGradientCalls--;
            g[0] = Float.NaN;
        }
        grads.assign(Nd4j.createFromArray(g).reshape(1, g.length));
        return lossSum / weightSum;
    }

    private static double weight(Batch batch, int r) {
        return batch.weights() == null ? 1 : batch.weights()[r];
    }

    /** Fills {@code p} with the softmax of row {@code r}; returns its cross-entropy loss. */
    private double forward(float[] w, Batch batch, int r, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            double z = w[d * c + j];
            for (int i = 0; i < d; i++) {
                z += batch.features()[r * d + i] * w[i * c + j];
            }
            p[j] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
            p[j] = Math.exp(p[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < c; j++) {
            p[j] /= sum;
        }
        return -Math.log(p[batch.labels()[r]]);
    }

    @Override
    public void predict(Batch batch, float[] probabilities) {
        float[] w = params.toFloatVector();
        double[] p = new double[c];
        for (int r = 0; r < batch.size(); r++) {
            forward(w, batch, r, p);
            for (int j = 0; j < c; j++) {
                probabilities[r * c + j] = (float) p[j];
            }
        }
    }

    @Override
    public EvalResult evaluate(Batch batch) {
        float[] w = params.toFloatVector();
        double[] p = new double[c];
        double loss = 0;
        long correct = 0;
        for (int r = 0; r < batch.size(); r++) {
            loss += forward(w, batch, r, p);
            int best = 0;
            for (int j = 1; j < c; j++) {
                if (p[j] > p[best]) {
                    best = j;
                }
            }
            correct += best == batch.labels()[r] ? 1 : 0;
        }
        return new EvalResult(loss, correct, batch.size());
    }

    @Override
    public float[] parametersToArray() {
        return params.toFloatVector();
    }

    @Override
    public void loadParameters(float[] values) {
        if (values.length != params.length()) {
            throw new IllegalArgumentException("expected " + params.length() + " values, got " + values.length);
        }
        params.assign(Nd4j.createFromArray(values).reshape(1, values.length));
    }

    @Override
    public void close() {
        // nothing native to free beyond what ND4J's GC-backed arrays hold
    }
}
