package io.clpipe.learner.engine.optim;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Updates a flat parameter vector in place from a flat gradient vector of the same length. State is
 * preallocated at construction; {@link #step} allocates no arrays.
 */
public interface Optimizer {

    /** Short name stored in checkpoints ("sgd", "adamw"); a checkpoint only restores into the same kind. */
    String kind();

    /**
     * One update with learning rate {@code lr}. May overwrite {@code gradients} (they are recomputed
     * every step).
     */
    void step(INDArray parameters, INDArray gradients, double lr);

    /** Forgets all state (momentum, moments, step count), e.g. at a task boundary. */
    void reset();

    /** The live state vectors, in a fixed order; callers may copy into or out of them. */
    List<INDArray> stateVectors();

    /** Number of updates since construction or the last reset (AdamW's bias correction uses it). */
    long stepCount();

    void restoreStepCount(long steps);
}
