package io.clpipe.models;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each tensor lives in a model's flat parameter (and gradient) vector; fixed by the spec, so a
 * snapshot's float array can be decoded without building the model.
 *
 * <p>MLP: {@code w1, b1, w2, b2, …} with {@code wN} stored row-major as [fan-in × fan-out] and
 * {@code bN} as [fan-out]. Byte LM: {@code embedding} [256 × embedDim] first, then the MLP over
 * the concatenated window ({@code context·embedDim} inputs, 256 outputs). Byte Transformer:
 * {@code embedding}, {@code position}, then per layer {@code layerN.ln1.gain|bias}, {@code qkv.w|b},
 * {@code out.w|b}, {@code ln2.gain|bias}, {@code ff1.w|b}, {@code ff2.w|b}, and {@code final.ln.gain|bias},
 * {@code head.w|b}; weights [fan-in × fan-out].
 */
public record ParameterLayout(List<Block> blocks, int size) {

    /** One tensor: {@code rows × cols} floats starting at {@code offset}. */
    public record Block(String name, int offset, int rows, int cols) {
        public int length() {
            return rows * cols;
        }
    }

    public ParameterLayout {
        blocks = List.copyOf(blocks);
    }

    public static ParameterLayout of(ModelSpec spec) {
        Builder builder = new Builder();
        if (spec instanceof ModelSpec.Mlp mlp) {
            builder.dense(widths(mlp.inputDim(), mlp.hidden(), mlp.classes()));
        } else if (spec instanceof ModelSpec.ByteLm lm) {
            builder.add("embedding", 256, lm.embedDim());
            builder.dense(widths(lm.context() * lm.embedDim(), lm.hidden(), lm.classes()));
        } else if (spec instanceof ModelSpec.ByteTransformer t) {
            int d = t.width();
            builder.add("embedding", 256, d);
            builder.add("position", t.context(), d);
            for (int l = 0; l < t.layers(); l++) {
                String p = "layer" + l + ".";
                builder.add(p + "ln1.gain", 1, d);
                builder.add(p + "ln1.bias", 1, d);
                builder.add(p + "qkv.w", d, 3 * d);
                builder.add(p + "qkv.b", 1, 3 * d);
                builder.add(p + "out.w", d, d);
                builder.add(p + "out.b", 1, d);
                builder.add(p + "ln2.gain", 1, d);
                builder.add(p + "ln2.bias", 1, d);
                builder.add(p + "ff1.w", d, t.ffWidth());
                builder.add(p + "ff1.b", 1, t.ffWidth());
                builder.add(p + "ff2.w", t.ffWidth(), d);
                builder.add(p + "ff2.b", 1, d);
            }
            builder.add("final.ln.gain", 1, d);
            builder.add("final.ln.bias", 1, d);
            builder.add("head.w", d, 256);
            builder.add("head.b", 1, 256);
        } else {
            throw new IllegalArgumentException("unknown spec " + spec);
        }
        return builder.build();
    }

    public Block block(String name) {
        return blocks.stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no parameter block " + name));
    }

    /** A dense layer's weight and bias blocks. */
    record Dense(Block weights, Block bias) {
    }

    /** The dense layers, input side first. */
    List<Dense> denseLayers() {
        List<Dense> layers = new ArrayList<>();
        for (int n = 1; blocks.stream().anyMatch(hasName("w" + n)); n++) {
            layers.add(new Dense(block("w" + n), block("b" + n)));
        }
        return layers;
    }

    private static java.util.function.Predicate<Block> hasName(String name) {
        return b -> b.name().equals(name);
    }

    static int[] widths(int input, int[] hidden, int output) {
        int[] widths = new int[hidden.length + 2];
        widths[0] = input;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = output;
        return widths;
    }

    private static final class Builder {
        private final List<Block> blocks = new ArrayList<>();
        private long offset;

        void dense(int[] widths) {
            for (int l = 1; l < widths.length; l++) {
                add("w" + l, widths[l - 1], widths[l]);
                add("b" + l, 1, widths[l]);
            }
        }

        void add(String name, int rows, int cols) {
            long length = (long) rows * cols;
            if (offset + length > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("model too large: more than 2^31 parameters");
            }
            blocks.add(new Block(name, (int) offset, rows, cols));
            offset += length;
        }

        ParameterLayout build() {
            return new ParameterLayout(blocks, (int) offset);
        }
    }
}
