package io.clpipe.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of the Transformer's analytic gradients: against a double-precision
 * reference of the same forward pass (every parameter, h = 1e-6), and on the float32 model itself
 * at its largest gradients (h = 1e-2), as {@link GradientCheckTest} does for the other models.
 */
class ByteTransformerGradientTest {

    private static final ModelSpec.ByteTransformer SPEC = new ModelSpec.ByteTransformer(5, 8, 2, 2, 4);

    /** Random bytes, weighted samples, one window padded with zeros like the start of a text. */
    private static Batch batch(long seed) {
        Batch b = SyntheticBatches.withRandomWeights(SyntheticBatches.forSpec(SPEC, 4, seed), seed + 1);
        b.features()[0] = 0;
        b.features()[1] = 0;
        b.features()[2] = 0;
        return b;
    }

    /** Weights far from the initial ones, so that attention is not uniform and every path carries gradient. */
    private static float[] randomParameters(Model model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] theta = model.parametersToArray();
        for (int i = 0; i < theta.length; i++) {
            theta[i] += (float) (random.nextGaussian() * 0.3);
        }
        return theta;
    }

    @Test
    void analyticGradientMatchesFiniteDifferencesOfDoubleReference() {
        try (Model model = Models.create(SPEC, 7)) {
            model.loadParameters(randomParameters(model, 3));
            Batch batch = batch(11);
            double loss = model.computeGradients(batch);
            float[] grad = model.gradients().toFloatVector();
            double[] theta = ReferenceModel.toDouble(model.parametersToArray());

            assertThat(loss).isCloseTo(TransformerReference.loss(SPEC, theta, batch), within(1e-5 * loss));

            double worst = 0;
            int worstAt = -1;
            int nonZero = 0;
            int checked = 0;
            java.util.Set<Integer> used = new java.util.HashSet<>();
            for (int i = 0; i < batch.size() * SPEC.context(); i++) {
                used.add((int) batch.features()[i]);
            }
            int embedding = ParameterLayout.of(SPEC).block("embedding").offset();
            for (int i = 0; i < theta.length; i++) {
                int row = (i - embedding) / SPEC.width();
                if (i >= embedding && i < embedding + 256 * SPEC.width() && !used.contains(row)) {
                    assertThat(grad[i]).as("embedding row %d of a byte the batch does not hold", row).isZero();
                    continue;
                }
                checked++;
                double fd = centralDifference(theta, batch, i, 1e-6);
                double rel = Math.abs(grad[i] - fd) / Math.max(Math.max(Math.abs(grad[i]), Math.abs(fd)), 1e-3);
                nonZero += Math.abs(fd) > 1e-6 ? 1 : 0;
                if (rel > worst) {
                    worst = rel;
                    worstAt = i;
                }
            }
            System.out.printf("gradient check %s: %d of %d parameters checked (%d with a gradient), max relative error %.3e (parameter %d)%n",
                    SPEC, checked, theta.length, nonZero, worst, worstAt);
            assertThat(worst).as("max relative error at parameter %d", worstAt).isLessThan(1e-3);
            assertThat(nonZero).as("most checked parameters carry gradient").isGreaterThan(checked * 8 / 10);
        }
    }

    @Test
    void float32ModelAgreesWithFiniteDifferencesAtItsLargestGradients() {
        try (Model model = Models.create(SPEC, 21)) {
            float[] theta = randomParameters(model, 5);
            model.loadParameters(theta);
            Batch batch = batch(5);
            model.computeGradients(batch);
            float[] grad = model.gradients().toFloatVector();
            int[] largest = IntStream.range(0, grad.length).boxed()
                    .sorted(Comparator.comparingDouble(i -> -Math.abs(grad[i])))
                    .limit(20).mapToInt(Integer::intValue).toArray();
            float h = 1e-2f;
            double worst = 0;
            for (int i : largest) {
                float[] plus = theta.clone();
                float[] minus = theta.clone();
                plus[i] += h;
                minus[i] -= h;
                model.loadParameters(plus);
                double up = model.computeGradients(batch);
                model.loadParameters(minus);
                double down = model.computeGradients(batch);
                double fd = (up - down) / ((double) plus[i] - minus[i]);
                worst = Math.max(worst, Math.abs(grad[i] - fd) / Math.max(Math.abs(grad[i]), Math.abs(fd)));
            }
            System.out.printf("float32 finite differences %s: 20 largest gradients (h=%.0e), max relative error %.3e%n", SPEC, h, worst);
            assertThat(worst).isLessThan(5e-2);
        }
    }

    private static double centralDifference(double[] theta, Batch batch, int i, double h) {
        double saved = theta[i];
        theta[i] = saved + h;
        double up = TransformerReference.loss(SPEC, theta, batch);
        theta[i] = saved - h;
        double down = TransformerReference.loss(SPEC, theta, batch);
        theta[i] = saved;
        return (up - down) / (2 * h);
    }
}
