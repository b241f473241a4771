package io.clpipe.bench.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clpipe.learner.engine.optim.Optimizer;
import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.Models;
import io.clpipe.models.ParameterLayout;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The SameDiff graph that {@code clpipe bench transformer} times is the hand-written model: the same
 * parameter count, and with the hand-written model's initial weights copied in, the same loss and the
 * same gradient for every parameter tensor on the same batch, and after three steps of SameDiff's Adam with
 * decoupled decay the same loss as after three of the learner engine's AdamW.
 */
class SameDiffTransformerTest {

    private static final ModelSpec.ByteTransformer SPEC = new ModelSpec.ByteTransformer(16, 32, 4, 2, 3);
    private static final SameDiffTransformer.AdamSettings ADAM = new SameDiffTransformer.AdamSettings(1e-3, 0.9, 0.999, 1e-8, 0.01);

    @Test
    void sameParameterCountLossAndGradientsAsTheHandWrittenModel() {
        TransformerBatch batch = TransformerBatch.random(SPEC.maxBatch(), SPEC.context(), new SplittableRandom(5));
        try (Model model = Models.create(SPEC, 11)) {
            SameDiffTransformer graph = new SameDiffTransformer(SPEC, SPEC.maxBatch(), model.parametersToArray(), ADAM, SameDiffTransformer.LayerNorm.EPSILON);
            assertEquals(model.parameterCount(), graph.parameterCount());

            double handLoss = model.computeGradients(batch.batch());
            double graphLoss = graph.loss(batch.inputs());
            assertEquals(Math.log(256), handLoss, 0.05, "loss at initialisation is near ln 256");
            assertEquals(handLoss, graphLoss, 1e-5);

            float[] handGradients = model.gradients().dup().data().asFloat();
            Map<String, INDArray> graphGradients = graph.gradients(batch.inputs());
            for (ParameterLayout.Block b : ParameterLayout.of(SPEC).blocks()) {
                float[] graphBlock = graphGradients.get(b.name()).dup().data().asFloat();
                assertEquals(b.length(), graphBlock.length, b.name());
                double scale = 0;
                for (int i = 0; i < b.length(); i++) {
                    scale = Math.max(scale, Math.abs(handGradients[b.offset() + i]));
                }
                assertTrue(scale > 0, "gradient of " + b.name() + " is zero");
                for (int i = 0; i < b.length(); i++) {
                    assertEquals(handGradients[b.offset() + i], graphBlock[i], 1e-3 * scale + 1e-7, b.name() + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void theFusedLayerNormGraphDiffersOnlyByItsMissingEpsilon() {
        TransformerBatch batch = TransformerBatch.random(SPEC.maxBatch(), SPEC.context(), new SplittableRandom(7));
        try (Model model = Models.create(SPEC, 13)) {
            SameDiffTransformer fused = new SameDiffTransformer(SPEC, SPEC.maxBatch(), model.parametersToArray(), ADAM,
                    SameDiffTransformer.LayerNorm.FUSED);
            assertEquals(model.parameterCount(), fused.parameterCount());
            double hand = model.computeGradients(batch.batch());
            double graph = fused.loss(batch.inputs());
            // libnd4j's layer_norm divides by the standard deviation with no epsilon; at initialisation the
            // residual stream's variance is ~5e-4, so the hand-written model's 1e-5 moves the loss by ~1e-4
            assertEquals(hand, graph, 2e-3);
            assertTrue(Math.abs(hand - graph) > 1e-6, "the fused op would match exactly only if it had the same epsilon");
        }
    }

    @Test
    void fitTrainsLikeTheEngineAdamW() {
        TransformerBatch batch = TransformerBatch.random(SPEC.maxBatch(), SPEC.context(), new SplittableRandom(6));
        try (Model model = Models.create(SPEC, 12)) {
            SameDiffTransformer graph = new SameDiffTransformer(SPEC, SPEC.maxBatch(), model.parametersToArray(), ADAM,
                    SameDiffTransformer.LayerNorm.EPSILON);
            Optimizer adamW = new OptimizerSpec.AdamW(ADAM.beta1(), ADAM.beta2(), ADAM.epsilon(), ADAM.weightDecay())
                    .create(model.parameterCount());
            double initial = graph.loss(batch.inputs());
            for (int i = 0; i < 3; i++) {
                model.computeGradients(batch.batch());
                adamW.step(model.parameters(), model.gradients(), ADAM.learningRate());
                graph.step(batch.inputs());
            }
            double hand = model.computeGradients(batch.batch());
            double trained = graph.loss(batch.inputs());
            assertTrue(trained < initial - 0.01, "three AdamW steps on one batch lower its loss: " + initial + " -> " + trained);
            assertEquals(hand, trained, 1e-4, "the same loss after three steps of each side's AdamW");
        }
    }
}
