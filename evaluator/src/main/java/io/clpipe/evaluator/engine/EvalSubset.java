package io.clpipe.evaluator.engine;

import io.clpipe.models.Batch;
import java.util.List;

/** The samples scored at one evaluation of one task. */
public record EvalSubset(List<EvalSample> samples) {

    public EvalSubset {
        samples = List.copyOf(samples);
    }

    public int size() {
        return samples.size();
    }

    /** The samples as one row-major batch for {@link io.clpipe.models.Model#evaluate}. */
    public Batch toBatch() {
        if (samples.isEmpty()) {
            return Batch.of(new float[0], new int[0]);
        }
        int dim = samples.get(0).features().length;
        float[] features = new float[samples.size() * dim];
        int[] labels = new int[samples.size()];
        for (int r = 0; r < samples.size(); r++) {
            EvalSample s = samples.get(r);
            System.arraycopy(s.features(), 0, features, r * dim, dim);
            labels[r] = s.label();
        }
        return Batch.of(features, labels);
    }
}
