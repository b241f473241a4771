package io.clpipe.bench.learner;

import io.clpipe.models.Batch;
import java.util.SplittableRandom;

/**
 * One synthetic batch for {@code clpipe bench transformer}, in both models' forms: the hand-written
 * model's {@link Batch} (a window of {@code context} bytes and the byte after it per sample) and the
 * SameDiff graph's inputs (every position's byte and its next byte). Bytes are uniform in 1..255 so
 * that no position is start-of-text padding: every position is a target and both models' losses are
 * the plain mean over all windows·context positions.
 */
record TransformerBatch(Batch batch, SameDiffTransformer.Inputs inputs) {

    static TransformerBatch random(int windows, int context, SplittableRandom random) {
        int[] bytes = new int[windows * (context + 1)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = 1 + random.nextInt(255);
        }
        float[] features = new float[windows * context];
        int[] labels = new int[windows];
        int[] tokens = new int[windows * context];
        int[] targets = new int[windows * context];
        for (int w = 0; w < windows; w++) {
            int base = w * (context + 1);
            for (int t = 0; t < context; t++) {
                features[w * context + t] = bytes[base + t];
                tokens[w * context + t] = bytes[base + t];
                targets[w * context + t] = bytes[base + t + 1];
            }
            labels[w] = bytes[base + context];
        }
        return new TransformerBatch(Batch.of(features, labels), SameDiffTransformer.Inputs.of(tokens, targets));
    }
}
