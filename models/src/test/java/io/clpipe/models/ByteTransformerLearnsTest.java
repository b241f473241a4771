package io.clpipe.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.datasets.DataDirectory;
import io.clpipe.datasets.TextCorpus;
import io.clpipe.datasets.TextDocument;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Transformer learns English man pages: after a few hundred Adam steps its validation bits per
 * byte (next byte after a full window, as the evaluator scores it) fall well below the entropy of
 * the training text's byte unigram model on the same validation bytes.
 */
class ByteTransformerLearnsTest {

    private static final ModelSpec.ByteTransformer SPEC = new ModelSpec.ByteTransformer(32, 64, 4, 2, 16);
    private static final int STEPS = 400;
    private static final int VALIDATION_BYTES = 3000;

    @Test
    void validationBitsPerByteFallWellBelowTheUnigramModel() {
        TextCorpus.Split split = TextCorpus.load(DataDirectory.resolve(), TextCorpus.MANPAGES_EN, "en").split(50);
        byte[] train = concat(split.train(), 3_000_000);
        byte[] validation = concat(split.validation(), VALIDATION_BYTES);

        double unigramBits = unigramCrossEntropyBits(train, validation);
        try (Model model = Models.create(SPEC, 1)) {
            Batch val = windows(validation);
            double before = model.evaluate(val).bitsPerSymbol();
            Adam adam = new Adam(model.parameterCount());
            SplittableRandom random = new SplittableRandom(2);
            float[] features = new float[SPEC.maxBatch() * SPEC.context()];
            int[] labels = new int[SPEC.maxBatch()];
            long started = System.nanoTime();
            for (int step = 0; step < STEPS; step++) {
                for (int r = 0; r < SPEC.maxBatch(); r++) {
                    int end = SPEC.context() + random.nextInt(train.length - SPEC.context());
                    for (int t = 0; t < SPEC.context(); t++) {
                        features[r * SPEC.context() + t] = train[end - SPEC.context() + t] & 0xFF;
                    }
                    labels[r] = train[end] & 0xFF;
                }
                model.computeGradients(new Batch(features, labels, null, SPEC.maxBatch()));
                adam.step(model, 5e-3 * Math.min(1, (step + 1) / 20.0));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double after = model.evaluate(val).bitsPerSymbol();
            System.out.printf("byte-transformer %s, %,d parameters: validation %.3f bits/byte before, %.3f after %d steps of %d windows"
                            + " (%.1f s, %.0f predicted bytes/s); byte unigram model %.3f bits/byte%n", SPEC, model.parameterCount(),
                    before, after, STEPS, SPEC.maxBatch(), seconds, STEPS * SPEC.maxBatch() * SPEC.context() / seconds, unigramBits);
            assertThat(before).as("untrained: about 8 bits per byte").isGreaterThan(7.5);
            assertThat(after).as("well below the unigram model's %.3f bits/byte", unigramBits).isLessThan(unigramBits - 0.9);
        }
    }

    /** Every validation byte after a window of the bytes before it (zeros before the start), as the evaluator windows text. */
    private static Batch windows(byte[] text) {
        int t = SPEC.context();
        float[] features = new float[text.length * t];
        int[] labels = new int[text.length];
        for (int i = 0; i < text.length; i++) {
            for (int j = 0; j < t; j++) {
                int at = i - t + j;
                features[i * t + j] = at < 0 ? 0 : text[at] & 0xFF;
            }
            labels[i] = text[i] & 0xFF;
        }
        return Batch.of(features, labels);
    }

    /** Cross-entropy, in bits per byte, of {@code eval} under the add-one-smoothed byte frequencies of {@code train}. */
    static double unigramCrossEntropyBits(byte[] train, byte[] eval) {
        long[] counts = new long[256];
        for (byte b : train) {
            counts[b & 0xFF]++;
        }
        double bits = 0;
        for (byte b : eval) {
            bits -= Math.log((counts[b & 0xFF] + 1.0) / (train.length + 256.0)) / Math.log(2);
        }
        return bits / eval.length;
    }

    private static byte[] concat(java.util.List<TextDocument> docs, int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TextDocument d : docs) {
            if (out.size() >= limit) {
                break;
            }
            out.writeBytes(d.text().getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = out.toByteArray();
        return all.length <= limit ? all : java.util.Arrays.copyOf(all, limit);
    }

    /** Plain Adam (β 0.9/0.999) over the flat parameters, enough for this test. */
    private static final class Adam {
        private final float[] m;
        private final float[] v;
        private int t;

        Adam(long n) {
            m = new float[(int) n];
            v = new float[(int) n];
        }

        void step(Model model, double lr) {
            t++;
            float[] g = model.gradients().toFloatVector();
            float[] p = model.parametersToArray();
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int i = 0; i < p.length; i++) {
                m[i] = 0.9f * m[i] + 0.1f * g[i];
                v[i] = 0.999f * v[i] + 0.001f * g[i] * g[i];
                p[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
            }
            model.loadParameters(p);
        }
    }
}
