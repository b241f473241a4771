package io.clpipe.models;

/**
 * Plain double-precision forward pass of {@link ModelSpec.ByteTransformer}, window by window, read
 * straight from a flat parameter vector: the reference the gradient check differentiates.
 */
final class TransformerReference {

    private final ModelSpec.ByteTransformer spec;
    private final java.util.Map<String, Integer> offsets = new java.util.HashMap<>();
    private final double[] p;

    TransformerReference(ModelSpec.ByteTransformer spec, double[] params) {
        this.spec = spec;
        ParameterLayout.of(spec).blocks().forEach(b -> offsets.put(b.name(), b.offset()));
        this.p = params;
    }

    /** The training loss as {@link Model#computeGradients} defines it for this model. */
    static double loss(ModelSpec.ByteTransformer spec, double[] params, Batch batch) {
        TransformerReference ref = new TransformerReference(spec, params);
        int t = spec.context();
        double sum = 0;
        double weights = 0;
        for (int r = 0; r < batch.size(); r++) {
            double[][] logits = ref.logits(batch, r);
            int padding = 0;
            while (padding < t && batch.features()[r * t + padding] == 0f) {
                padding++;
            }
            int first = Math.max(0, padding - 1);
            double windowLoss = 0;
            for (int i = first; i < t; i++) {
                int target = i < t - 1 ? (int) batch.features()[r * t + i + 1] : batch.labels()[r];
                windowLoss += ReferenceModel.crossEntropy(logits[i], target);
            }
            double w = batch.weights() == null ? 1 : batch.weights()[r];
            sum += w * windowLoss / (t - first);
            weights += w;
        }
        return sum / weights;
    }

    /** Logits of every position of window {@code r}. */
    double[][] logits(Batch batch, int r) {
        int t = spec.context();
        int d = spec.width();
        double[][] x = new double[t][d];
        for (int i = 0; i < t; i++) {
            int token = (int) batch.features()[r * t + i];
            for (int c = 0; c < d; c++) {
                x[i][c] = p[at("embedding") + token * d + c] + p[at("position") + i * d + c];
            }
        }
        for (int l = 0; l < spec.layers(); l++) {
            String pre = "layer" + l + ".";
            double[][] a = layerNorm(x, pre + "ln1");
            double[][] qkv = linear(a, pre + "qkv", d, 3 * d);
            double[][] attn = attention(qkv);
            double[][] proj = linear(attn, pre + "out", d, d);
            for (int i = 0; i < t; i++) {
                for (int c = 0; c < d; c++) {
                    x[i][c] += proj[i][c];
                }
            }
            double[][] hidden = linear(layerNorm(x, pre + "ln2"), pre + "ff1", d, spec.ffWidth());
            for (double[] h : hidden) {
                for (int c = 0; c < h.length; c++) {
                    h[c] = Math.max(0, h[c]);
                }
            }
            double[][] ff = linear(hidden, pre + "ff2", spec.ffWidth(), d);
            for (int i = 0; i < t; i++) {
                for (int c = 0; c < d; c++) {
                    x[i][c] += ff[i][c];
                }
            }
        }
        double[][] f = layerNorm(x, "final.ln");
        return linear(f, "head", d, 256);
    }

    private double[][] attention(double[][] qkv) {
        int t = spec.context();
        int d = spec.width();
        int hw = d / spec.heads();
        double scale = 1 / Math.sqrt(hw);
        double[][] out = new double[t][d];
        for (int h = 0; h < spec.heads(); h++) {
            for (int i = 0; i < t; i++) {
                double[] s = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double dot = 0;
                    for (int c = 0; c < hw; c++) {
                        dot += qkv[i][h * hw + c] * qkv[j][d + h * hw + c];
                    }
                    s[j] = dot * scale;
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = 0; j <= i; j++) {
                    for (int c = 0; c < hw; c++) {
                        out[i][h * hw + c] += s[j] / sum * qkv[j][2 * d + h * hw + c];
                    }
                }
            }
        }
        return out;
    }

    private double[][] layerNorm(double[][] x, String name) {
        int d = x[0].length;
        double[][] y = new double[x.length][d];
        for (int i = 0; i < x.length; i++) {
            double mean = 0;
            for (double v : x[i]) {
                mean += v;
            }
            mean /= d;
            double var = 0;
            for (double v : x[i]) {
                var += (v - mean) * (v - mean);
            }
            double inv = 1 / Math.sqrt(var / d + RowOps.LAYER_NORM_EPSILON);
            for (int c = 0; c < d; c++) {
                y[i][c] = p[at(name + ".gain") + c] * (x[i][c] - mean) * inv + p[at(name + ".bias") + c];
            }
        }
        return y;
    }

    private double[][] linear(double[][] x, String name, int in, int out) {
        int w = at(name + ".w");
        int b = at(name + ".b");
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = p[b + o];
                for (int k = 0; k < in; k++) {
                    s += x[i][k] * p[w + k * out + o];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    private int at(String block) {
        return offsets.get(block);
    }
}
