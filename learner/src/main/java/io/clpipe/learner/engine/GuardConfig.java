package io.clpipe.learner.engine;

/**
 * Divergence guard settings.
 *
 * @param lrFactor      the learning-rate scale is multiplied by this after each rollback (0 < f < 1)
 * @param snapshotEvery the last good state is copied every this many good steps: copying weights and
 *                      optimizer state every step would cost about as much memory traffic as the
 *                      update itself
 */
public record GuardConfig(double lrFactor, int snapshotEvery) {

    public GuardConfig {
        if (!(lrFactor > 0 && lrFactor < 1) || snapshotEvery <= 0) {
            throw new IllegalArgumentException("guard needs 0 < lrFactor < 1 and snapshotEvery > 0");
        }
    }

    public static GuardConfig defaults() {
        return new GuardConfig(0.5, 100);
    }
}
