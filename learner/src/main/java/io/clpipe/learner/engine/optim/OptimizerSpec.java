package io.clpipe.learner.engine.optim;

/** Which optimizer to build and its hyper-parameters (the learning rate comes from the schedule). */
public sealed interface OptimizerSpec permits OptimizerSpec.Sgd, OptimizerSpec.AdamW {

    Optimizer create(long parameterCount);

    /**
     * SGD with PyTorch semantics: g += weightDecay·θ (coupled L2); v = μ·v + g; θ -= η·v, or with
     * Nesterov θ -= η·(g + μ·v). Momentum 0 is plain SGD.
     */
    record Sgd(double momentum, boolean nesterov, double weightDecay) implements OptimizerSpec {
        public Sgd {
            if (momentum < 0 || momentum >= 1 || weightDecay < 0) {
                throw new IllegalArgumentException("SGD needs 0 <= momentum < 1 and weightDecay >= 0");
            }
            if (nesterov && momentum == 0) {
                throw new IllegalArgumentException("Nesterov momentum requires momentum > 0");
            }
        }

        public static Sgd plain() {
            return new Sgd(0, false, 0);
        }

        public static Sgd momentum(double momentum) {
            return new Sgd(momentum, false, 0);
        }

        @Override
        public Optimizer create(long parameterCount) {
            return new SgdMomentum(this, parameterCount);
        }
    }

    /** AdamW (Loshchilov and Hutter) with PyTorch semantics: decoupled decay θ *= 1 − η·λ, bias-corrected moments. */
    record AdamW(double beta1, double beta2, double epsilon, double weightDecay) implements OptimizerSpec {
        public AdamW {
            if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || epsilon <= 0 || weightDecay < 0) {
                throw new IllegalArgumentException("AdamW needs betas in [0,1), epsilon > 0, weightDecay >= 0");
            }
        }

        /** PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, λ = 0.01. */
        public static AdamW defaults() {
            return new AdamW(0.9, 0.999, 1e-8, 0.01);
        }

        @Override
        public Optimizer create(long parameterCount) {
            return new AdamWOptimizer(this, parameterCount);
        }
    }
}
