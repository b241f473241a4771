package io.clpipe.models;

/** Builds models from their spec; selects ND4J's native build before the first ND4J use. */
public final class Models {

    private Models() {
    }

    /** A model with He-initialised weights drawn from {@code seed} (same seed ⇒ same weights). */
    public static Model create(ModelSpec spec, long seed) {
        NativeEnvironment.prepare();
        if (spec instanceof ModelSpec.Mlp mlp) {
            return new MlpClassifier(mlp, seed);
        }
        if (spec instanceof ModelSpec.ByteLm lm) {
            return new ByteLanguageModel(lm, seed);
        }
        if (spec instanceof ModelSpec.ByteTransformer t) {
            return new ByteTransformerModel(t, seed);
        }
        throw new IllegalArgumentException("unknown model spec " + spec);
    }
}
