package io.clpipe.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelBehaviourTest {

    static Stream<ModelSpec> specs() {
        return Stream.of(
                new ModelSpec.Mlp(12, new int[] {16, 8}, 5, 16),
                new ModelSpec.ByteLm(4, 3, new int[] {10, 9}, 16));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void sameSeedAndBatchesGiveBitIdenticalParameters(ModelSpec spec) {
        try (Model a = Models.create(spec, 42); Model b = Models.create(spec, 42); Model c = Models.create(spec, 43)) {
            assertThat(a.parametersToArray()).isEqualTo(b.parametersToArray());
            assertThat(a.parametersToArray()).isNotEqualTo(c.parametersToArray());
            for (int step = 0; step < 25; step++) {
                Batch batch = SyntheticBatches.forSpec(spec, 1 + step % 16, 1000 + step);
                for (Model m : new Model[] {a, b}) {
                    if (step % 2 == 0) {
                        m.computeGradients(batch);
                        m.parameters().subi(m.gradients().mul(0.05));
                    } else {
                        ((FusedSgdStep) m).sgdStep(batch, 0.05f);
                    }
                }
            }
            assertThat(Arrays.equals(a.parametersToArray(), b.parametersToArray())).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void evaluateChunksByMaxBatchAndMatchesAManualCount(ModelSpec spec) {
        try (Model model = Models.create(spec, 3)) {
            Batch batch = SyntheticBatches.forSpec(spec, 53, 9);
            for (int i = 0; i < 30; i++) {
                model.computeGradients(new Batch(batch.features(), batch.labels(), null, spec.maxBatch()));
                model.parameters().subi(model.gradients().mul(0.2));
            }
            double[][] logits = ReferenceModel.logits(spec, ReferenceModel.toDouble(model.parametersToArray()), batch);
            long correct = 0;
            double loss = 0;
            for (int r = 0; r < batch.size(); r++) {
                correct += ReferenceModel.argMax(logits[r]) == batch.labels()[r] ? 1 : 0;
                loss += ReferenceModel.crossEntropy(logits[r], batch.labels()[r]);
            }
            EvalResult result = model.evaluate(batch);
            assertThat(result.count()).isEqualTo(53);
            assertThat(result.correct()).isEqualTo(correct).isPositive();
            assertThat(result.lossSum()).isCloseTo(loss, within(1e-5 * loss));
            assertThat(model.evaluate(new Batch(batch.features(), batch.labels(), null, 0))).isEqualTo(EvalResult.EMPTY);
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void aModelBuiltForLargerChunksTakesTheSameParametersAndScoresAlike(ModelSpec spec) {
        ModelSpec wide = spec.withMaxBatch(100);
        try (Model trained = Models.create(spec, 6); Model evaluator = Models.create(wide, 0)) {
            assertThat(wide.maxBatch()).isEqualTo(100);
            assertThat(evaluator.parameterCount()).isEqualTo(trained.parameterCount());
            for (int step = 0; step < 10; step++) {
                ((FusedSgdStep) trained).sgdStep(SyntheticBatches.forSpec(spec, spec.maxBatch(), 60 + step), 0.2f);
            }
            evaluator.loadParameters(trained.parametersToArray());
            Batch batch = SyntheticBatches.forSpec(spec, 90, 11);

            EvalResult inSmallChunks = trained.evaluate(batch);
            EvalResult inOneChunk = evaluator.evaluate(batch);

            assertThat(inOneChunk.count()).isEqualTo(90);
            assertThat(inOneChunk.correct()).isEqualTo(inSmallChunks.correct());
            assertThat(inOneChunk.lossSum()).isCloseTo(inSmallChunks.lossSum(), within(1e-5 * inSmallChunks.lossSum()));
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void zeroWeightRemovesASampleAndWeightTwoCountsItTwice(ModelSpec spec) {
        try (Model model = Models.create(spec, 5)) {
            Batch six = SyntheticBatches.forSpec(spec, 6, 17);
            float[] weights = {1, 1, 0, 1, 2, 1};
            double weightedLoss = model.computeGradients(new Batch(six.features(), six.labels(), weights, 6));
            float[] weighted = model.gradients().toFloatVector();

            int[] rows = {0, 1, 3, 4, 4, 5};
            double plainLoss = model.computeGradients(select(six, spec.inputDim(), rows));
            float[] plain = model.gradients().toFloatVector();

            assertThat(weightedLoss).isCloseTo(plainLoss, within(1e-6));
            for (int i = 0; i < plain.length; i++) {
                assertThat(weighted[i]).as("gradient %d", i).isCloseTo(plain[i], within(1e-6f + 1e-5f * Math.abs(plain[i])));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void fusedSgdStepEqualsGradientsThenUpdate(ModelSpec spec) {
        try (Model generic = Models.create(spec, 8); Model fused = Models.create(spec, 8)) {
            for (int step = 0; step < 5; step++) {
                Batch batch = SyntheticBatches.forSpec(spec, 7 + step, 40 + step);
                double a = generic.computeGradients(batch);
                generic.parameters().subi(generic.gradients().mul(0.1));
                double b = ((FusedSgdStep) fused).sgdStep(batch, 0.1f);
                assertThat(b).isCloseTo(a, within(1e-5));
            }
            float[] expected = generic.parametersToArray();
            float[] actual = fused.parametersToArray();
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("parameter %d", i).isCloseTo(expected[i], within(1e-5f));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void aSmallBatchAfterAFullOneSeesNoStaleRows(ModelSpec spec) {
        try (Model used = Models.create(spec, 2); Model fresh = Models.create(spec, 2)) {
            used.computeGradients(SyntheticBatches.forSpec(spec, spec.maxBatch(), 1));
            Batch small = SyntheticBatches.forSpec(spec, 3, 2);
            assertThat(used.computeGradients(small)).isEqualTo(fresh.computeGradients(small));
            assertThat(used.gradients().toFloatVector()).isEqualTo(fresh.gradients().toFloatVector());
        }
    }

    @Test
    void layerBlocksAreViewsOfTheFlatParameters() {
        ModelSpec.Mlp spec = new ModelSpec.Mlp(3, new int[] {4}, 2, 4);
        try (MlpClassifier model = (MlpClassifier) Models.create(spec, 1)) {
            assertThat(model.parameterCount()).isEqualTo(3 * 4 + 4 + 4 * 2 + 2);
            INDArray w2 = model.parameterBlock("w2");
            assertThat(w2.shape()).containsExactly(4, 2);
            int offset = model.layout().block("w2").offset();
            model.parameters().putScalar(0, offset + 3, 7.5);
            assertThat(w2.getFloat(1, 1)).isEqualTo(7.5f);
            w2.putScalar(0, 1, -2.0);
            assertThat(model.parametersToArray()[offset + 1]).isEqualTo(-2.0f);
        }
    }

    @Test
    void malformedBatchesAreRejectedWithAReason() {
        ModelSpec.Mlp mlp = new ModelSpec.Mlp(3, new int[] {4}, 2, 4);
        try (Model model = Models.create(mlp, 1)) {
            Batch tooBig = SyntheticBatches.classification(5, 3, 2, 1);
            assertThatThrownBy(() -> model.computeGradients(tooBig)).hasMessageContaining("maxBatch");
            assertThat(model.evaluate(tooBig).count()).isEqualTo(5);
            Batch badLabel = new Batch(new float[6], new int[] {0, 2}, null, 2);
            assertThatThrownBy(() -> model.computeGradients(badLabel)).hasMessageContaining("label 2");
            Batch shortFeatures = new Batch(new float[5], new int[] {0, 1}, null, 2);
            assertThatThrownBy(() -> model.evaluate(shortFeatures)).hasMessageContaining("features");
            Batch badWeight = new Batch(new float[6], new int[] {0, 1}, new float[] {1, Float.NaN}, 2);
            assertThatThrownBy(() -> model.computeGradients(badWeight)).hasMessageContaining("weight");
        }
        try (Model lm = Models.create(new ModelSpec.ByteLm(2, 2, new int[] {3}, 4), 1)) {
            assertThatThrownBy(() -> lm.computeGradients(new Batch(new float[] {65, 256}, new int[] {1}, null, 1)))
                    .hasMessageContaining("not a byte");
        }
    }

    @Test
    void allZeroWeightsGiveZeroLossAndGradients() {
        try (Model model = Models.create(new ModelSpec.Mlp(3, new int[] {4}, 2, 4), 1)) {
            Batch batch = SyntheticBatches.classification(2, 3, 2, 1);
            assertThat(model.computeGradients(new Batch(batch.features(), batch.labels(), new float[2], 2))).isZero();
            assertThat(model.gradients().amaxNumber().doubleValue()).isZero();
        }
    }

    @Test
    void buffersOutliveAWorkspaceTheCallerHadOpen() {
        ModelSpec spec = new ModelSpec.Mlp(6, new int[] {5}, 3, 4);
        WorkspaceConfiguration config = WorkspaceConfiguration.builder().initialSize(1 << 20)
                .policyLearning(LearningPolicy.NONE).build();
        Model model;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(config, "caller")) {
            model = Models.create(spec, 4);
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace(config, "caller")) {
            Nd4j.create(DataType.FLOAT, 1, 1 << 16).assign(99);
        }
        try (model; Model fresh = Models.create(spec, 4)) {
            assertThat(model.parametersToArray()).isEqualTo(fresh.parametersToArray());
            Batch batch = SyntheticBatches.forSpec(spec, 4, 1);
            assertThat(model.computeGradients(batch)).isEqualTo(fresh.computeGradients(batch));
        }
    }

    @Test
    void aClosedModelRefusesWork() {
        Model model = Models.create(new ModelSpec.Mlp(3, new int[] {4}, 2, 4), 1);
        model.close();
        assertThatThrownBy(() -> model.computeGradients(SyntheticBatches.classification(1, 3, 2, 1)))
                .isInstanceOf(IllegalStateException.class);
    }

    private static Batch select(Batch batch, int inputDim, int[] rows) {
        float[] features = new float[rows.length * inputDim];
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(batch.features(), rows[i] * inputDim, features, i * inputDim, inputDim);
            labels[i] = batch.labels()[rows[i]];
        }
        return Batch.of(features, labels);
    }
}
