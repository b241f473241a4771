package io.clpipe.learner.engine;

import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.Models;
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

    /** A real ND4J MLP (8-16-4) from the models module. */
    public static Model mlp(long seed) {
        return Models.create(new ModelSpec.Mlp(DIM, new int[] {16}, CLASSES, 64), seed);
    }

    /** A real byte language model: 6 context bytes, embedding 4, one hidden layer of 16. */
    public static Model byteLm(long seed) {
        return Models.create(new ModelSpec.ByteLm(6, 4, new int[] {16}, 64), seed);
    }

    /** A real byte Transformer: 6 context bytes, width 16, 2 heads, 2 layers. */
    public static Model byteTransformer(long seed) {
        return Models.create(new ModelSpec.ByteTransformer(6, 16, 2, 2, 64), seed);
    }

    /**
     * Next-byte samples from two "languages": task 0 cycles through lower-case letters, task 1
     * through digits, with random skips, as byte windows.
     */
    public static List<List<Sample>> byteStream(int steps, int perStep, long seed) {
        Xoshiro256 rng = new Xoshiro256(seed);
        List<List<Sample>> out = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            int task = i >= steps / 3 ? 1 : 0;
            byte base = (byte) (task == 0 ? 'a' : '0');
            int period = task == 0 ? 26 : 10;
            List<Sample> batch = new ArrayList<>(perStep);
            for (int k = 0; k < perStep; k++) {
                byte[] window = new byte[7];
                int pos = rng.nextInt(period);
                for (int j = 0; j < window.length; j++) {
                    window[j] = (byte) (base + pos);
                    pos = (pos + 1 + (rng.nextInt(8) == 0 ? 1 : 0)) % period;
                }
                batch.add(Sample.bytes(java.util.Arrays.copyOf(window, 6), window[6] & 0xFF, task));
            }
            out.add(batch);
        }
        return out;
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
