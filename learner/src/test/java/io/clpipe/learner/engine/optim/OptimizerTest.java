package io.clpipe.learner.engine.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.clpipe.learner.engine.Xoshiro256;
import io.clpipe.models.NativeEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each optimizer against a scalar double-precision transcription of PyTorch's update rules. */
class OptimizerTest {

    @BeforeAll
    static void selectNativeBuild() {
        NativeEnvironment.prepare();
    }

    private static final int N = 37;
    private static final int STEPS = 25;

    @Test
    void sgdMomentumMatchesTorchRule() {
        assertMatchesReference(new OptimizerSpec.Sgd(0.9, false, 0), new SgdReference(0.9, false, 0));
    }

    @Test
    void sgdNesterovWithWeightDecayMatchesTorchRule() {
        assertMatchesReference(new OptimizerSpec.Sgd(0.8, true, 0.01), new SgdReference(0.8, true, 0.01));
    }

    @Test
    void plainSgdIsThetaMinusLrTimesGradient() {
        assertMatchesReference(OptimizerSpec.Sgd.plain(), new SgdReference(0, false, 0));
    }

    @Test
    void adamWMatchesTorchRule() {
        assertMatchesReference(new OptimizerSpec.AdamW(0.9, 0.999, 1e-8, 0.01), new AdamWReference(0.9, 0.999, 1e-8, 0.01));
    }

    @Test
    void adamWWithoutDecayMatchesTorchRule() {
        assertMatchesReference(new OptimizerSpec.AdamW(0.8, 0.99, 1e-6, 0), new AdamWReference(0.8, 0.99, 1e-6, 0));
    }

    @Test
    void resetForgetsMomentumAndStepCount() {
        Optimizer adam = OptimizerSpec.AdamW.defaults().create(N);
        INDArray p = Nd4j.zeros(DataType.FLOAT, 1, N);
        INDArray g = Nd4j.ones(DataType.FLOAT, 1, N);
        adam.step(p, g, 0.1);
        adam.step(p, g, 0.1);
        assertThat(adam.stepCount()).isEqualTo(2);
        assertThat(adam.stateVectors().get(0).sumNumber().doubleValue()).isNotZero();
        adam.reset();
        assertThat(adam.stepCount()).isZero();
        for (INDArray v : adam.stateVectors()) {
            assertThat(v.amaxNumber().doubleValue()).isZero();
        }
        // After a reset the first update is again the bias-corrected first step: sign(g)·lr.
        INDArray before = p.dup();
        adam.step(p, Nd4j.ones(DataType.FLOAT, 1, N), 0.1);
        assertThat(before.sub(p).getDouble(0, 5) / (1 - 0.1 * 0.01)).isCloseTo(0.1, within(1e-3));
    }

    @Test
    void clippingScalesToTheGlobalNorm() {
        INDArray g = Nd4j.createFromArray(new float[] {3, 4}).reshape(1, 2);
        GlobalNormClipper clipper = new GlobalNormClipper(1);
        double norm = GlobalNormClipper.norm(g);
        assertThat(norm).isCloseTo(5, within(1e-6));
        assertThat(clipper.clip(g, norm)).isTrue();
        assertThat(g.getDouble(0, 0)).isCloseTo(0.6, within(1e-6));
        assertThat(g.getDouble(0, 1)).isCloseTo(0.8, within(1e-6));
        assertThat(clipper.clip(g, GlobalNormClipper.norm(g))).isFalse();
        assertThat(GlobalNormClipper.disabled().clip(g.muli(100), 100)).isFalse();
        assertThat(g.getDouble(0, 1)).isCloseTo(80, within(1e-4));
    }

    @Test
    void normIsExactForHugeValuesAndNonFiniteForNaNOrInfinity() {
        INDArray g = Nd4j.zeros(DataType.FLOAT, 1, 1001);
        g.putScalar(0, 500, 3e25);
        g.putScalar(0, 7, 4e25);
        assertThat(GlobalNormClipper.norm(g)).isCloseTo(5e25, within(5e19));
        for (int pos : new int[] {0, 13, 999, 1000}) {
            INDArray h = Nd4j.ones(DataType.FLOAT, 1, 1001);
            h.putScalar(0, pos, Float.NaN);
            assertThat(GlobalNormClipper.norm(h)).as("NaN at %d", pos).isNaN();
            h.putScalar(0, pos, Float.POSITIVE_INFINITY);
            assertThat(Double.isFinite(GlobalNormClipper.norm(h))).as("Inf at %d", pos).isFalse();
            h.putScalar(0, pos, Float.NEGATIVE_INFINITY);
            assertThat(Double.isFinite(GlobalNormClipper.norm(h))).as("-Inf at %d", pos).isFalse();
        }
        assertThat(GlobalNormClipper.norm(Nd4j.ones(DataType.FLOAT, 1, 10_000))).isCloseTo(100, within(1e-3));
    }

    private interface Reference {
        void step(double[] p, double[] g, double lr);
    }

    private static void assertMatchesReference(OptimizerSpec spec, Reference reference) {
        Xoshiro256 rng = new Xoshiro256(7);
        double[] p = new double[N];
        float[] pf = new float[N];
        for (int i = 0; i < N; i++) {
            pf[i] = (float) (rng.nextDouble() - 0.5);
            p[i] = pf[i];
        }
        INDArray params = Nd4j.createFromArray(pf).reshape(1, N);
        Optimizer optimizer = spec.create(N);
        for (int t = 0; t < STEPS; t++) {
            float[] gf = new float[N];
            double[] g = new double[N];
            for (int i = 0; i < N; i++) {
                gf[i] = (float) (rng.nextDouble() * 2 - 1);
                g[i] = gf[i];
            }
            double lr = 0.05 * (1 + t % 3);
            optimizer.step(params, Nd4j.createFromArray(gf).reshape(1, N), lr);
            reference.step(p, g, lr);
        }
        float[] got = params.toFloatVector();
        for (int i = 0; i < N; i++) {
            assertThat((double) got[i]).as("parameter %d", i).isCloseTo(p[i], within(2e-5 + 2e-5 * Math.abs(p[i])));
        }
        assertThat(optimizer.stepCount()).isEqualTo(STEPS);
    }

    /** torch.optim.SGD: d = g + wd·θ; v = μv + d; d = nesterov ? d + μv : v; θ -= lr·d. */
    private static final class SgdReference implements Reference {
        private final double mu;
        private final boolean nesterov;
        private final double wd;
        private double[] v;

        SgdReference(double mu, boolean nesterov, double wd) {
            this.mu = mu;
            this.nesterov = nesterov;
            this.wd = wd;
        }

        @Override
        public void step(double[] p, double[] g, double lr) {
            if (v == null) {
                v = new double[p.length];
            }
            for (int i = 0; i < p.length; i++) {
                double d = g[i] + wd * p[i];
                if (mu > 0) {
                    v[i] = mu * v[i] + d;
                    d = nesterov ? d + mu * v[i] : v[i];
                }
                p[i] -= lr * d;
            }
        }
    }

    /** torch.optim.AdamW (amsgrad off). */
    private static final class AdamWReference implements Reference {
        private final double b1;
        private final double b2;
        private final double eps;
        private final double wd;
        private double[] m;
        private double[] v;
        private int t;

        AdamWReference(double b1, double b2, double eps, double wd) {
            this.b1 = b1;
            this.b2 = b2;
            this.eps = eps;
            this.wd = wd;
        }

        @Override
        public void step(double[] p, double[] g, double lr) {
            if (m == null) {
                m = new double[p.length];
                v = new double[p.length];
            }
            t++;
            for (int i = 0; i < p.length; i++) {
                p[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
    }
}
