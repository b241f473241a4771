package io.clpipe.learner.engine.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Global-norm gradient clipping as {@code torch.nn.utils.clip_grad_norm_}: when ‖g‖₂ exceeds
 * {@code maxNorm}, g is scaled by maxNorm / (‖g‖₂ + 1e-6). A non-positive or infinite maxNorm disables it.
 */
public record GlobalNormClipper(double maxNorm) {

    public static GlobalNormClipper disabled() {
        return new GlobalNormClipper(0);
    }

    public boolean enabled() {
        return maxNorm > 0 && Double.isFinite(maxNorm);
    }

    /** The L2 norm of the whole vector (NaN or infinite when an element is). */
    public static double norm(INDArray gradients) {
        return gradients.norm2Number().doubleValue();
    }

    /**
     * Scales {@code gradients} in place if their norm {@code norm} (from {@link #norm}) is above the
     * limit; returns whether it did.
     */
    public boolean clip(INDArray gradients, double norm) {
        if (!enabled() || !(norm > maxNorm)) {
            return false;
        }
        gradients.muli(maxNorm / (norm + 1e-6));
        return true;
    }
}
