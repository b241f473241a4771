package io.clpipe.learner.service;

import io.clpipe.models.ModelSpec;
import io.clpipe.schemas.avro.Sample;
import java.util.Arrays;

/** The model kinds the service builds; the input width of an MLP comes from the stream's first sample. */
public sealed interface ModelTemplate extends ModelFactory permits ModelTemplate.Mlp, ModelTemplate.ByteLm,
        ModelTemplate.ByteTransformer {

    /** MLP classifier on {@code features}: inputDim (from the first sample) → hidden… → classes. */
    record Mlp(int[] hidden, int classes) implements ModelTemplate {
        public Mlp {
            hidden = hidden.clone();
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }

        @Override
        public ModelSpec specFor(String stream, Sample first, int batchSize) {
            if (first.getFeatures() == null) {
                throw new IllegalArgumentException("stream " + stream + " is configured for an MLP but its first sample has no features");
            }
            return new ModelSpec.Mlp(first.getFeatures().size(), hidden, classes, batchSize);
        }

        @Override
        public String toString() {
            return "mlp hidden=" + Arrays.toString(hidden) + " classes=" + classes;
        }
    }

    /** Byte language model on {@code text}: each byte is predicted from the {@code context} before it. */
    record ByteLm(int context, int embedDim, int[] hidden) implements ModelTemplate {
        public ByteLm {
            hidden = hidden.clone();
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }

        @Override
        public ModelSpec specFor(String stream, Sample first, int batchSize) {
            if (first.getText() == null) {
                throw new IllegalArgumentException("stream " + stream + " is configured for a byte LM but its first sample has no text");
            }
            return new ModelSpec.ByteLm(context, embedDim, hidden, batchSize);
        }

        @Override
        public String toString() {
            return "byte-lm ctx=" + context + " emb=" + embedDim + " hidden=" + Arrays.toString(hidden);
        }
    }

    /** Causal Transformer byte LM on {@code text}: each window of {@code context} bytes predicts every next byte. */
    record ByteTransformer(int context, int width, int heads, int layers) implements ModelTemplate {
        @Override
        public ModelSpec specFor(String stream, Sample first, int batchSize) {
            if (first.getText() == null) {
                throw new IllegalArgumentException("stream " + stream + " is configured for a byte transformer but its first sample has no text");
            }
            return new ModelSpec.ByteTransformer(context, width, heads, layers, batchSize);
        }

        @Override
        public String toString() {
            return "byte-transformer ctx=" + context + " d=" + width + " heads=" + heads + " layers=" + layers;
        }
    }
}
