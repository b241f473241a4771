package io.clpipe.evaluator.engine;

/**
 * One held-out sample: a feature row (pixels, or a language model's context bytes as 0..255 floats,
 * the layout of {@link io.clpipe.models.Batch}) and its label (class, or the next byte).
 * The features are copied on construction; callers must not mutate the returned array.
 */
public record EvalSample(float[] features, int label) {

    public EvalSample {
        if (features.length == 0) {
            throw new IllegalArgumentException("an eval sample needs at least one feature");
        }
        if (label < 0) {
            throw new IllegalArgumentException("label must be non-negative, got " + label);
        }
        features = features.clone();
    }
}
