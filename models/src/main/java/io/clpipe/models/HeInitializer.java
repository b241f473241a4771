package io.clpipe.models;

import java.util.Random;

/**
 * He-normal weights (std √(2 / fan-in)), zero biases and N(0, 1) embeddings, drawn in layout order
 * from {@link Random} whose Gaussian sequence is fixed by its specification: the same seed gives
 * the same weights on every JVM.
 */
final class HeInitializer {

    private HeInitializer() {
    }

    static float[] initialize(ParameterLayout layout, long seed) {
        Random random = new Random(seed);
        float[] values = new float[layout.size()];
        for (ParameterLayout.Block block : layout.blocks()) {
            double std;
            if (block.name().startsWith("b")) {
                continue;
            } else if (block.name().equals("embedding")) {
                std = 1.0;
            } else {
                std = Math.sqrt(2.0 / block.rows());
            }
            for (int i = block.offset(); i < block.offset() + block.length(); i++) {
                values[i] = (float) (random.nextGaussian() * std);
            }
        }
        return values;
    }
}
