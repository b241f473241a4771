package io.clpipe.models;

import java.util.Arrays;
import java.util.Locale;

/**
 * A model spec as one line of text, carried by snapshots and checkpoints so that a reader rebuilds
 * the exact architecture (and so the parameter layout) the writer used:
 * <pre>
 *   mlp in=784 hidden=400,400 classes=10 batch=512
 *   byte-lm ctx=32 emb=16 hidden=512 batch=256
 *   byte-transformer ctx=128 d=128 heads=4 layers=2 batch=16
 * </pre>
 */
public final class ModelSpecCodec {

    private ModelSpecCodec() {
    }

    public static String encode(ModelSpec spec) {
        if (spec instanceof ModelSpec.Mlp m) {
            return "mlp in=" + m.inputDim() + " hidden=" + join(m.hidden()) + " classes=" + m.classes() + " batch=" + m.maxBatch();
        }
        if (spec instanceof ModelSpec.ByteTransformer t) {
            return "byte-transformer ctx=" + t.context() + " d=" + t.width() + " heads=" + t.heads() + " layers=" + t.layers()
                    + " batch=" + t.maxBatch();
        }
        ModelSpec.ByteLm b = (ModelSpec.ByteLm) spec;
        return "byte-lm ctx=" + b.context() + " emb=" + b.embedDim() + " hidden=" + join(b.hidden()) + " batch=" + b.maxBatch();
    }

    /** @throws IllegalArgumentException naming what is wrong with the text */
    public static ModelSpec decode(String text) {
        String[] parts = text.trim().split("\\s+");
        try {
            return switch (parts[0].toLowerCase(Locale.ROOT)) {
                case "mlp" -> new ModelSpec.Mlp(intField(parts, "in"), ints(field(parts, "hidden")),
                        intField(parts, "classes"), intField(parts, "batch"));
                case "byte-lm" -> new ModelSpec.ByteLm(intField(parts, "ctx"), intField(parts, "emb"),
                        ints(field(parts, "hidden")), intField(parts, "batch"));
                case "byte-transformer" -> new ModelSpec.ByteTransformer(intField(parts, "ctx"), intField(parts, "d"),
                        intField(parts, "heads"), intField(parts, "layers"), intField(parts, "batch"));
                default -> throw new IllegalArgumentException("unknown model kind '" + parts[0] + "' (mlp, byte-lm or byte-transformer)");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model spec '" + text + "': " + e.getMessage(), e);
        }
    }

    private static String join(int[] values) {
        return values.length == 0 ? "none" : String.join(",", Arrays.stream(values).mapToObj(Integer::toString).toList());
    }

    private static int[] ints(String csv) {
        return csv.equals("none") ? new int[0] : Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static int intField(String[] parts, String name) {
        return Integer.parseInt(field(parts, name));
    }

    private static String field(String[] parts, String name) {
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].startsWith(name + "=")) {
                return parts[i].substring(name.length() + 1);
            }
        }
        throw new IllegalArgumentException("model spec '" + String.join(" ", parts) + "' has no " + name + "=");
    }
}
