package io.clpipe.learner.engine;

import io.clpipe.models.Model;
import java.util.ArrayList;
import java.util.List;

/** Shared fixtures for engine tests outside this package. */
public final class TestModels {

    public static final int DIM = 8;
    public static final int CLASSES = 4;

    private TestModels() {
    }

    public static Model softmaxRegression(long seed) {
        return new SoftmaxRegression(DIM, CLASSES, 64, seed);
    }

    /** {@code steps} batches of {@code perStep} blob samples: classes 0-1 as task 0, then 2-3 as task 1. */
    public static List<List<Sample>> stream(int steps, int perStep, long seed) {
        Blobs blobs = new Blobs(DIM, CLASSES, seed);
        List<List<Sample>> out = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            boolean second = i >= steps / 3;
            out.add(blobs.draw(perStep, second ? new int[] {2, 3} : new int[] {0, 1}, second ? 1 : 0));
        }
        return out;
    }
}
