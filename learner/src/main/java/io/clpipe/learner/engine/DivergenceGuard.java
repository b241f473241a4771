package io.clpipe.learner.engine;

import io.clpipe.learner.engine.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keeps a copy of the last good training state (weights, optimizer state and any other tracked
 * vectors, e.g. the Reptile anchor) and restores it when a step is not finite.
 */
public final class DivergenceGuard {

    private final GuardConfig config;
    private final List<INDArray> live;
    private final List<INDArray> copies;
    private final Optimizer optimizer;
    private long savedOptimizerSteps;
    private long savedIteration;
    private double lrScale = 1;

    /** {@code tracked}: the live vectors to protect besides the optimizer's state. Saves them at once. */
    public DivergenceGuard(GuardConfig config, List<INDArray> tracked, Optimizer optimizer, long iteration) {
        this.config = config;
        this.optimizer = optimizer;
        this.live = new ArrayList<>(tracked);
        this.live.addAll(optimizer.stateVectors());
        this.copies = new ArrayList<>(live.size());
        for (INDArray v : live) {
            copies.add(Nd4j.create(DataType.FLOAT, v.shape()));
        }
        save(iteration);
    }

    /** The factor applied to the schedule's learning rate (halved, by default, on each rollback). */
    public double lrScale() {
        return lrScale;
    }

    public void restoreLrScale(double scale) {
        if (!(scale > 0) || scale > 1) {
            throw new IllegalArgumentException("lr scale must be in (0, 1]: " + scale);
        }
        this.lrScale = scale;
    }

    /** The cause if the step must be rejected, else {@code null}. */
    public static DivergenceEvent.Cause check(double loss, double gradientNorm) {
        if (!Double.isFinite(loss)) {
            return DivergenceEvent.Cause.NON_FINITE_LOSS;
        }
        return Double.isFinite(gradientNorm) ? null : DivergenceEvent.Cause.NON_FINITE_GRADIENT;
    }

    /** After a good step: saves the state every {@code snapshotEvery} iterations. */
    public void afterGoodStep(long iteration) {
        if (iteration % config.snapshotEvery() == 0) {
            save(iteration);
        }
    }

    /** Saves the current state now (e.g. right after restoring a checkpoint). */
    public void save(long iteration) {
        for (int i = 0; i < live.size(); i++) {
            copies.get(i).assign(live.get(i));
        }
        savedOptimizerSteps = optimizer.stepCount();
        savedIteration = iteration;
    }

    /** Restores the saved state, lowers the learning-rate scale and describes what happened. */
    public DivergenceEvent rollback(long iteration, DivergenceEvent.Cause cause, double loss, double gradientNorm) {
        for (int i = 0; i < live.size(); i++) {
            live.get(i).assign(copies.get(i));
        }
        optimizer.restoreStepCount(savedOptimizerSteps);
        lrScale *= config.lrFactor();
        return new DivergenceEvent(iteration, cause, loss, gradientNorm, savedIteration, lrScale);
    }
}
