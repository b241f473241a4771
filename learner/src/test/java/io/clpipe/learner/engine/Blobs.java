package io.clpipe.learner.engine;

import java.util.ArrayList;
import java.util.List;

/** Synthetic separable data for engine tests: Gaussian blobs, one centre per class, per task. */
final class Blobs {

    private final int dim;
    private final float[][] centres;
    private final Xoshiro256 rng;

    Blobs(int dim, int classes, long seed) {
        this.dim = dim;
        this.rng = new Xoshiro256(seed);
        this.centres = new float[classes][dim];
        for (float[] centre : centres) {
            for (int i = 0; i < dim; i++) {
                centre[i] = (float) (rng.nextDouble() * 4 - 2);
            }
        }
    }

    /** {@code n} samples of the given classes (drawn uniformly among them), tagged with {@code task}. */
    List<Sample> draw(int n, int[] classes, int task) {
        List<Sample> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int label = classes[rng.nextInt(classes.length)];
            float[] x = new float[dim];
            for (int i = 0; i < dim; i++) {
                x[i] = centres[label][i] + (float) gaussian() * 0.5f;
            }
            out.add(Sample.dense(x, label, task));
        }
        return out;
    }

    private double gaussian() {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
