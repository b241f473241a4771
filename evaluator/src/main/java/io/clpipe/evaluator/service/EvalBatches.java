package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.EvalSample;
import io.clpipe.evaluator.engine.EvalSet;
import io.clpipe.evaluator.engine.EvalSubset;
import io.clpipe.models.Batch;
import io.clpipe.models.ModelSpec;
import java.util.List;

/** The batch a model is scored on for one eval set, or why the set does not fit the model. */
record EvalBatches(int textContext) {

    /** Exactly one of {@code batch} and {@code problem} is set. */
    record Prepared(Batch batch, String problem) {
    }

    Prepared prepare(EvalSet set, ModelSpec spec) {
        EvalSubset subset = set.subset();
        int dim = subset.samples().get(0).features().length;
        if (!isText(spec)) {
            return dim == spec.inputDim() ? new Prepared(whole(set, subset), null)
                    : new Prepared(null, "its samples have " + dim + " features, the model takes " + spec.inputDim());
        }
        if (dim != textContext) {
            return new Prepared(null, "its samples are not text windows (" + dim + " features)");
        }
        int context = spec.inputDim();
        if (context > textContext) {
            return new Prepared(null, "the model's context of " + context + " bytes exceeds the evaluator's text.context "
                    + textContext);
        }
        return new Prepared(context == textContext ? whole(set, subset) : cropped(subset.samples(), context), null);
    }

    /** Byte language models (byte-lm, byte-transformer): scored on text windows, by loss. */
    static boolean isText(ModelSpec spec) {
        return spec.readsBytes();
    }

    /** A fixed subset's batch is built once by the set; anything else is drawn once per evaluation. */
    private static Batch whole(EvalSet set, EvalSubset subset) {
        return set.frozen() ? set.subsetBatch() : subset.toBatch();
    }

    /** Keeps the last {@code context} bytes of each window: the model's own window at that position. */
    private Batch cropped(List<EvalSample> samples, int context) {
        float[] features = new float[samples.size() * context];
        int[] labels = new int[samples.size()];
        for (int r = 0; r < samples.size(); r++) {
            System.arraycopy(samples.get(r).features(), textContext - context, features, r * context, context);
            labels[r] = samples.get(r).label();
        }
        return Batch.of(features, labels);
    }
}
