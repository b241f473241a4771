package io.clpipe.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Model#predict} and {@link Model#lastForward} against the double-precision reference forward pass. */
class PredictionTest {

    static Stream<ModelSpec> specs() {
        return Stream.of(
                new ModelSpec.Mlp(12, new int[] {16, 8}, 5, 16),
                new ModelSpec.ByteLm(4, 3, new int[] {10, 9}, 16));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void predictGivesTheSoftmaxOfTheReferenceLogitsAndChunksByMaxBatch(ModelSpec spec) {
        try (Model model = Models.create(spec, 5)) {
            Batch batch = SyntheticBatches.forSpec(spec, 37, 11);
            float[] p = new float[batch.size() * spec.classes()];
            model.predict(batch, p);
            double[][] logits = ReferenceModel.logits(spec, ReferenceModel.toDouble(model.parametersToArray()), batch);
            for (int r = 0; r < batch.size(); r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (double z : logits[r]) {
                    max = Math.max(max, z);
                }
                double sum = 0;
                for (double z : logits[r]) {
                    sum += Math.exp(z - max);
                }
                double total = 0;
                for (int c = 0; c < spec.classes(); c++) {
                    assertThat((double) p[r * spec.classes() + c]).isCloseTo(Math.exp(logits[r][c] - max) / sum, within(1e-4));
                    total += p[r * spec.classes() + c];
                }
                assertThat(total).isCloseTo(1.0, within(1e-4));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void lastForwardReportsThePreUpdatePredictionsOfTheTrainingBatch(ModelSpec spec) {
        try (Model model = Models.create(spec, 8)) {
            Batch batch = SyntheticBatches.forSpec(spec, 12, 21);
            EvalResult before = model.evaluate(batch);
            model.computeGradients(batch);
            int[] predicted = new int[batch.size()];
            double[] loss = new double[batch.size()];
            assertThat(model.lastForward(batch, batch.size(), predicted, loss)).isTrue();
            // then an update: what lastForward reported must be what the weights before it predicted
            model.parameters().subi(model.gradients().mul(0.5));
            long correct = 0;
            double lossSum = 0;
            for (int r = 0; r < batch.size(); r++) {
                correct += predicted[r] == batch.labels()[r] ? 1 : 0;
                lossSum += loss[r];
            }
            assertThat(correct).isEqualTo(before.correct());
            assertThat(lossSum).isCloseTo(before.lossSum(), within(1e-4));
            assertThat(model.evaluate(batch).lossSum()).isNotCloseTo(before.lossSum(), within(1e-6));
        }
    }

    /** The Transformer's next-byte distribution is the one its evaluation scores: the label's probability is e^-loss. */
    @org.junit.jupiter.api.Test
    void theTransformerPredictsTheDistributionItsEvaluationScoresAndChunksByMaxBatch() {
        ModelSpec.ByteTransformer spec = new ModelSpec.ByteTransformer(6, 16, 4, 2, 8);
        try (Model model = Models.create(spec, 3)) {
            Batch batch = SyntheticBatches.forSpec(spec, 19, 4);
            float[] p = new float[batch.size() * spec.classes()];
            model.predict(batch, p);
            EvalResult scored = model.evaluate(batch);
            double lossSum = 0;
            long correct = 0;
            for (int r = 0; r < batch.size(); r++) {
                double total = 0;
                int best = 0;
                for (int c = 0; c < spec.classes(); c++) {
                    float v = p[r * spec.classes() + c];
                    assertThat(v).isBetween(0f, 1f);
                    total += v;
                    best = v > p[r * spec.classes() + best] ? c : best;
                }
                assertThat(total).isCloseTo(1.0, within(1e-4));
                lossSum -= Math.log(p[r * spec.classes() + batch.labels()[r]]);
                correct += best == batch.labels()[r] ? 1 : 0;
            }
            assertThat(lossSum).isCloseTo(scored.lossSum(), within(1e-3 * batch.size()));
            assertThat(correct).isEqualTo(scored.correct());
        }
    }
}
