package io.clpipe.models;

/** Plain double-precision forward pass of both models, read straight from a flat parameter vector. */
final class ReferenceModel {

    private ReferenceModel() {
    }

    /** Logits, one row per sample. */
    static double[][] logits(ModelSpec spec, double[] params, Batch batch) {
        ParameterLayout layout = ParameterLayout.of(spec);
        double[][] out = new double[batch.size()][];
        for (int r = 0; r < batch.size(); r++) {
            double[] x = input(spec, layout, params, batch, r);
            var layers = layout.denseLayers();
            for (int l = 0; l < layers.size(); l++) {
                ParameterLayout.Block w = layers.get(l).weights();
                ParameterLayout.Block b = layers.get(l).bias();
                double[] y = new double[w.cols()];
                for (int j = 0; j < w.cols(); j++) {
                    double s = params[b.offset() + j];
                    for (int i = 0; i < w.rows(); i++) {
                        s += x[i] * params[w.offset() + i * w.cols() + j];
                    }
                    y[j] = l < layers.size() - 1 ? Math.max(0, s) : s;
                }
                x = y;
            }
            out[r] = x;
        }
        return out;
    }

    /** Weighted mean cross-entropy, as {@link Model#computeGradients} defines it. */
    static double loss(ModelSpec spec, double[] params, Batch batch) {
        double[][] z = logits(spec, params, batch);
        double sum = 0;
        double weights = 0;
        for (int r = 0; r < z.length; r++) {
            double w = batch.weights() == null ? 1 : batch.weights()[r];
            sum += w * crossEntropy(z[r], batch.labels()[r]);
            weights += w;
        }
        return sum / weights;
    }

    static double crossEntropy(double[] logits, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : logits) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s) - logits[label];
    }

    static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static double[] input(ModelSpec spec, ParameterLayout layout, double[] params, Batch batch, int row) {
        if (spec instanceof ModelSpec.ByteLm lm) {
            ParameterLayout.Block table = layout.block("embedding");
            double[] x = new double[lm.context() * lm.embedDim()];
            for (int j = 0; j < lm.context(); j++) {
                int value = (int) batch.features()[row * lm.context() + j];
                for (int k = 0; k < lm.embedDim(); k++) {
                    x[j * lm.embedDim() + k] = params[table.offset() + value * lm.embedDim() + k];
                }
            }
            return x;
        }
        double[] x = new double[spec.inputDim()];
        for (int i = 0; i < x.length; i++) {
            x[i] = batch.features()[row * spec.inputDim() + i];
        }
        return x;
    }
}
