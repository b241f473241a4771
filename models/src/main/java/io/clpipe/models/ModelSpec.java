package io.clpipe.models;

import java.util.Arrays;

/** What a model is: enough to build it and to decode its flat parameter vector. */
public sealed interface ModelSpec permits ModelSpec.Mlp, ModelSpec.ByteLm, ModelSpec.ByteTransformer {

    /** Width of one input row in {@link Batch#features()}. */
    int inputDim();

    /** Number of output classes. */
    int classes();

    /** Largest batch the model preallocates buffers for; larger batches are rejected (evaluate chunks). */
    int maxBatch();

    /** The same model with buffers for {@code rows}; the parameter layout does not depend on it. */
    ModelSpec withMaxBatch(int rows);

    /**
     * Whether this is a byte-level language model: an input row is a window of {@link #inputDim()} byte values
     * 0..255 (zeros before the text's start) and the classes are the 256 values of the next byte.
     */
    default boolean readsBytes() {
        return this instanceof ByteLm || this instanceof ByteTransformer;
    }

    /** MLP classifier: inputDim → hidden… (ReLU) → classes, softmax cross-entropy. */
    record Mlp(int inputDim, int[] hidden, int classes, int maxBatch) implements ModelSpec {
        public Mlp {
            hidden = hidden.clone();
            if (inputDim <= 0 || classes <= 1 || maxBatch <= 0 || Arrays.stream(hidden).anyMatch(h -> h <= 0)) {
                throw new IllegalArgumentException("invalid MLP spec " + inputDim + "-" + Arrays.toString(hidden) + "-" + classes);
            }
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }

        @Override
        public Mlp withMaxBatch(int rows) {
            return new Mlp(inputDim, hidden, classes, rows);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("mlp ").append(inputDim);
            for (int h : hidden) {
                s.append('-').append(h);
            }
            return s.append('-').append(classes).toString();
        }
    }

    /**
     * Byte-level language model: the previous {@code context} bytes are embedded ({@code embedDim}
     * each), concatenated, passed through an MLP (ReLU) and a softmax over 256 next-byte values.
     */
    record ByteLm(int context, int embedDim, int[] hidden, int maxBatch) implements ModelSpec {
        public ByteLm {
            hidden = hidden.clone();
            if (context <= 0 || embedDim <= 0 || maxBatch <= 0 || Arrays.stream(hidden).anyMatch(h -> h <= 0)) {
                throw new IllegalArgumentException("invalid byte-LM spec");
            }
        }

        @Override
        public int[] hidden() {
            return hidden.clone();
        }

        @Override
        public int inputDim() {
            return context;
        }

        @Override
        public int classes() {
            return 256;
        }

        @Override
        public ByteLm withMaxBatch(int rows) {
            return new ByteLm(context, embedDim, hidden, rows);
        }

        @Override
        public String toString() {
            return "byte-lm ctx=" + context + " emb=" + embedDim + " hidden=" + Arrays.toString(hidden);
        }
    }

    /**
     * Causal pre-norm Transformer over the previous {@code context} bytes: byte and learned position
     * embeddings of width {@code width}, {@code layers} blocks of {@code heads}-head self-attention and
     * a ReLU feed-forward layer of 4·width, a final layer norm and a softmax over 256. A sample is a
     * window and its next byte; training predicts every position of the window (docs/architecture.md).
     */
    record ByteTransformer(int context, int width, int heads, int layers, int maxBatch) implements ModelSpec {
        public ByteTransformer {
            if (context <= 0 || width <= 0 || heads <= 0 || width % heads != 0 || layers <= 0 || maxBatch <= 0) {
                throw new IllegalArgumentException("invalid byte-transformer spec: context " + context + ", width " + width
                        + " (a multiple of heads " + heads + "), layers " + layers + ", maxBatch " + maxBatch);
            }
        }

        @Override
        public int inputDim() {
            return context;
        }

        @Override
        public int classes() {
            return 256;
        }

        /** Feed-forward width, 4·width. */
        public int ffWidth() {
            return 4 * width;
        }

        @Override
        public ByteTransformer withMaxBatch(int rows) {
            return new ByteTransformer(context, width, heads, layers, rows);
        }

        @Override
        public String toString() {
            return "byte-transformer ctx=" + context + " d=" + width + " heads=" + heads + " layers=" + layers;
        }
    }
}
