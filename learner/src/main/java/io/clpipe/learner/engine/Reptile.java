package io.clpipe.learner.engine;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Keeps the anchor weights θ_a and applies the Reptile interpolation of {@link ReptileConfig}. */
public final class Reptile {

    private final ReptileConfig config;
    private final INDArray anchor;

    /** The anchor starts as a copy of {@code parameters}. */
    public Reptile(ReptileConfig config, INDArray parameters) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("Reptile is disabled in " + config);
        }
        this.config = config;
        this.anchor = Nd4j.create(DataType.FLOAT, parameters.shape()).assign(parameters);
    }

    /** After optimizer step number {@code iteration} (1-based); returns whether it interpolated. */
    public boolean afterStep(long iteration, INDArray parameters) {
        if (iteration % config.every() != 0) {
            return false;
        }
        parameters.subi(anchor).muli(config.epsilon()).addi(anchor);
        anchor.assign(parameters);
        return true;
    }

    /** The live anchor vector (checkpoints and the divergence guard copy it). */
    public INDArray anchor() {
        return anchor;
    }
}
