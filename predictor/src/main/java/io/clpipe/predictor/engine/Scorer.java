package io.clpipe.predictor.engine;

import io.clpipe.models.Batch;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores queries with a served model through {@link Model#predict}: the same forward pass the learner
 * trains and the evaluator scores with. A language model's window is the prompt's last
 * {@code context} bytes, zero-padded on the left, as the learner builds its training windows.
 * One batch per call (the model chunks it); not thread-safe, like the models.
 */
public final class Scorer {

    /**
     * @throws IllegalArgumentException naming the first query that does not fit the model (wrong
     *                                  dimension, features for a language model or text for a classifier)
     */
    public List<Scored> score(ServedModel served, List<? extends Query> queries) {
        ModelSpec spec = served.spec();
        int width = spec.inputDim();
        int classes = spec.classes();
        int n = queries.size();
        float[] features = new float[n * width];
        for (int i = 0; i < n; i++) {
            fill(spec, queries.get(i), features, i * width, i);
        }
        float[] probabilities = new float[n * classes];
        served.model().predict(new Batch(features, new int[n], null, n), probabilities);
        List<Scored> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Query q = queries.get(i);
            byte[] continuation = q instanceof Query.Text t && t.continuation() > 0
                    ? continueGreedily(served.model(), Arrays.copyOfRange(features, i * width, (i + 1) * width),
                            argMax(probabilities, i * classes, classes), t.continuation())
                    : new byte[0];
            out.add(answer(probabilities, i * classes, classes, q.top(), continuation));
        }
        return out;
    }

    /** Why {@code q} does not fit a model of {@code spec}, or null if it does. */
    public static String misfit(ModelSpec spec, Query q) {
        if (spec.readsBytes()) {
            return q instanceof Query.Text ? null : "features given, the model (" + spec + ") takes text";
        }
        if (!(q instanceof Query.Features f)) {
            return "text given, the model (" + spec + ") takes features";
        }
        return f.values().length == spec.inputDim() ? null
                : f.values().length + " features, the model (" + spec + ") takes " + spec.inputDim();
    }

    private static void fill(ModelSpec spec, Query q, float[] features, int offset, int index) {
        String misfit = misfit(spec, q);
        if (misfit != null) {
            throw new IllegalArgumentException("query " + index + ": " + misfit);
        }
        if (spec.readsBytes()) {
            window(((Query.Text) q).prompt(), spec.inputDim(), features, offset);
        } else {
            float[] values = ((Query.Features) q).values();
            System.arraycopy(values, 0, features, offset, values.length);
        }
    }

    /** The last {@code context} bytes of {@code bytes} as values 0..255, zeros before its start. */
    static void window(byte[] bytes, int context, float[] out, int offset) {
        for (int j = 0; j < context; j++) {
            int source = bytes.length - context + j;
            out[offset + j] = source < 0 ? 0f : bytes[source] & 0xff;
        }
    }

    /** Appends the predicted byte and predicts again, {@code length} times in all; one row at a time. */
    private static byte[] continueGreedily(Model model, float[] window, int first, int length) {
        int classes = model.spec().classes();
        float[] p = new float[classes];
        int[] label = new int[1];
        byte[] out = new byte[length];
        int next = first;
        for (int k = 0; k < length; k++) {
            out[k] = (byte) next;
            if (k == length - 1) {
                break;
            }
            System.arraycopy(window, 1, window, 0, window.length - 1);
            window[window.length - 1] = next;
            model.predict(new Batch(window, label, null, 1), p);
            next = argMax(p, 0, classes);
        }
        return out;
    }

    private static int argMax(float[] p, int offset, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (p[offset + c] > p[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    private static Scored answer(float[] p, int offset, int classes, int top, byte[] continuation) {
        int k = Math.max(1, Math.min(top, classes));
        Integer[] order = new Integer[classes];
        for (int c = 0; c < classes; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> p[offset + a] != p[offset + b] ? Float.compare(p[offset + b], p[offset + a])
                : Integer.compare(a, b));
        List<Scored.ClassProbability> best = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            best.add(new Scored.ClassProbability(order[i], p[offset + order[i]]));
        }
        return new Scored(order[0], p[offset + order[0]], best, continuation);
    }
}
