package io.clpipe.learner.service;

import io.clpipe.models.ModelSpec;

/**
 * Which bytes of a text record become training samples. The byte-lm predicts one byte per sample,
 * so every byte is one. The byte-transformer predicts all {@code context} positions of a window,
 * so its samples end every {@code context} bytes (each byte a target once), plus one ending at the
 * last byte when the text's length is not a multiple (that window's first targets repeat bytes the
 * one before already predicted).
 */
public final class TextUnits {

    private TextUnits() {
    }

    /** Samples a text of {@code utf8Bytes} bytes gives the model of {@code spec}. */
    public static int count(ModelSpec spec, int utf8Bytes) {
        if (!(spec instanceof ModelSpec.ByteTransformer t)) {
            return utf8Bytes;
        }
        return (utf8Bytes + t.context() - 1) / t.context();
    }

    /** Index in the text of the byte sample {@code k} predicts last (its label). */
    static int labelIndex(ModelSpec spec, int utf8Bytes, int k) {
        if (!(spec instanceof ModelSpec.ByteTransformer t)) {
            return k;
        }
        return Math.min((k + 1) * t.context() - 1, utf8Bytes - 1);
    }

    /** Whether samples of this model are text windows (byte-lm or byte-transformer). */
    static boolean isText(ModelSpec spec) {
        return spec.readsBytes();
    }
}
