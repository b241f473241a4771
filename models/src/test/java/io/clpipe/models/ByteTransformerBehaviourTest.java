package io.clpipe.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Transformer keeps the {@link Model} contract the optimizers, checkpoints and evaluator rely on. */
class ByteTransformerBehaviourTest {

    private static final ModelSpec.ByteTransformer SPEC = new ModelSpec.ByteTransformer(6, 16, 4, 2, 8);

    private static void sgd(Model m, Batch batch, double lr) {
        m.computeGradients(batch);
        m.parameters().subi(m.gradients().mul(lr));
    }

    @Test
    void sameSeedAndBatchesGiveBitIdenticalParameters() {
        try (Model a = Models.create(SPEC, 42); Model b = Models.create(SPEC, 42); Model c = Models.create(SPEC, 43)) {
            assertThat(a.parametersToArray()).isEqualTo(b.parametersToArray());
            assertThat(a.parametersToArray()).isNotEqualTo(c.parametersToArray());
            for (int step = 0; step < 10; step++) {
                Batch batch = SyntheticBatches.forSpec(SPEC, 1 + step % 8, 1000 + step);
                sgd(a, batch, 0.05);
                sgd(b, batch, 0.05);
            }
            assertThat(Arrays.equals(a.parametersToArray(), b.parametersToArray())).isTrue();
        }
    }

    @Test
    void evaluateScoresTheNextByteAfterEachWindowInChunksAsTheReferenceDoes() {
        try (Model model = Models.create(SPEC, 3)) {
            Batch batch = SyntheticBatches.forSpec(SPEC, 21, 9);
            for (int i = 0; i < 20; i++) {
                sgd(model, new Batch(batch.features(), batch.labels(), null, SPEC.maxBatch()), 0.5);
            }
            TransformerReference ref = new TransformerReference(SPEC, ReferenceModel.toDouble(model.parametersToArray()));
            long correct = 0;
            double loss = 0;
            for (int r = 0; r < batch.size(); r++) {
                double[] last = ref.logits(batch, r)[SPEC.context() - 1];
                correct += ReferenceModel.argMax(last) == batch.labels()[r] ? 1 : 0;
                loss += ReferenceModel.crossEntropy(last, batch.labels()[r]);
            }
            EvalResult result = model.evaluate(batch);
            assertThat(result.count()).isEqualTo(21);
            assertThat(result.correct()).isEqualTo(correct).isPositive();
            assertThat(result.lossSum()).isCloseTo(loss, within(1e-4 * loss));
        }
    }

    @Test
    void parametersRoundTripIntoAModelBuiltForLargerChunks() {
        ModelSpec wide = ModelSpecCodec.decode(ModelSpecCodec.encode(SPEC.withMaxBatch(40)));
        assertThat(wide).isEqualTo(SPEC.withMaxBatch(40));
        try (Model trained = Models.create(SPEC, 6); Model evaluator = Models.create(wide, 0)) {
            for (int step = 0; step < 5; step++) {
                sgd(trained, SyntheticBatches.forSpec(SPEC, SPEC.maxBatch(), 60 + step), 0.2);
            }
            evaluator.loadParameters(trained.parametersToArray());
            Batch batch = SyntheticBatches.forSpec(SPEC, 37, 11);
            EvalResult inSmallChunks = trained.evaluate(batch);
            EvalResult inOneChunk = evaluator.evaluate(batch);
            assertThat(inOneChunk.count()).isEqualTo(37);
            assertThat(inOneChunk.correct()).isEqualTo(inSmallChunks.correct());
            assertThat(inOneChunk.lossSum()).isCloseTo(inSmallChunks.lossSum(), within(1e-5 * inSmallChunks.lossSum()));
        }
    }

    @Test
    void zeroWeightRemovesASampleAndWeightTwoCountsItTwice() {
        try (Model model = Models.create(SPEC, 5)) {
            Batch six = SyntheticBatches.forSpec(SPEC, 6, 17);
            double weightedLoss = model.computeGradients(new Batch(six.features(), six.labels(), new float[] {1, 1, 0, 1, 2, 1}, 6));
            float[] weighted = model.gradients().toFloatVector();
            int[] rows = {0, 1, 3, 4, 4, 5};
            float[] features = new float[rows.length * SPEC.context()];
            int[] labels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(six.features(), rows[i] * SPEC.context(), features, i * SPEC.context(), SPEC.context());
                labels[i] = six.labels()[rows[i]];
            }
            double plainLoss = model.computeGradients(Batch.of(features, labels));
            float[] plain = model.gradients().toFloatVector();
            assertThat(weightedLoss).isCloseTo(plainLoss, within(1e-6));
            for (int i = 0; i < plain.length; i++) {
                assertThat(weighted[i]).as("gradient %d", i).isCloseTo(plain[i], within(1e-6f + 1e-4f * Math.abs(plain[i])));
            }
        }
    }

    @Test
    void aSmallBatchAfterAFullOneSeesNoStaleRows() {
        try (Model used = Models.create(SPEC, 2); Model fresh = Models.create(SPEC, 2)) {
            used.computeGradients(SyntheticBatches.forSpec(SPEC, SPEC.maxBatch(), 1));
            Batch small = SyntheticBatches.forSpec(SPEC, 3, 2);
            assertThat(used.computeGradients(small)).isEqualTo(fresh.computeGradients(small));
            assertThat(used.gradients().toFloatVector()).isEqualTo(fresh.gradients().toFloatVector());
        }
    }

    @Test
    void paddingPositionsAreNotTargets() {
        try (Model model = Models.create(SPEC, 4)) {
            // a text's first byte 'a' after an empty context: only the last position is a target
            float[] padded = new float[SPEC.context()];
            TransformerReference ref = new TransformerReference(SPEC, ReferenceModel.toDouble(model.parametersToArray()));
            Batch one = Batch.of(padded, new int[] {'a'});
            double expected = ReferenceModel.crossEntropy(ref.logits(one, 0)[SPEC.context() - 1], 'a');
            assertThat(model.computeGradients(one)).isCloseTo(expected, within(1e-5));
        }
    }
}
