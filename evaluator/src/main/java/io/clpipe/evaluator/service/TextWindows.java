package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.EvalSample;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Eval samples of a text record for a byte language model, windowed as the learner windows training
 * text: one sample per byte of the UTF-8 encoding, predicted from the {@code context} bytes before it
 * (zero bytes before the start of the text). Windows are kept at the configured context and cropped
 * to a model's own (shorter or equal) context when it is scored ({@link EvalBatches}).
 */
final class TextWindows {

    private TextWindows() {
    }

    /** Hands each window to {@code sink} in text order until it returns false. */
    static void forEach(String text, int context, Predicate<EvalSample> sink) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            float[] window = new float[context];
            int from = i - context;
            for (int j = Math.max(0, -from); j < context; j++) {
                window[j] = bytes[from + j] & 0xFF;
            }
            if (!sink.test(new EvalSample(window, bytes[i] & 0xFF))) {
                return;
            }
        }
    }
}
