package io.clpipe.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Comparator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of both models' analytic gradients.
 *
 * <p>The model computes in float32: activations carry ~1e-7 relative rounding, so a central
 * difference taken on the model itself has ~1e-6 absolute noise in the loss and needs a large step
 * (h = 1e-2), which then risks crossing ReLU kinks. The full check therefore differentiates a
 * double-precision reference of the same forward pass (h = 1e-6: truncation ~1e-12, no kinks in
 * practice), after checking that the reference reproduces the model's loss. A second, direct check
 * perturbs the float32 model itself at the parameters with the largest gradients.
 */
class GradientCheckTest {

    static Stream<ModelSpec> specs() {
        return Stream.of(
                new ModelSpec.Mlp(5, new int[] {7, 6}, 4, 8),
                new ModelSpec.ByteLm(3, 4, new int[] {6}, 8));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void analyticGradientMatchesFiniteDifferencesOfDoubleReference(ModelSpec spec) {
        try (Model model = Models.create(spec, 7)) {
            Batch batch = SyntheticBatches.withRandomWeights(SyntheticBatches.forSpec(spec, 6, 11), 13);
            double loss = model.computeGradients(batch);
            float[] grad = model.gradients().toFloatVector();
            double[] theta = ReferenceModel.toDouble(model.parametersToArray());

            assertThat(loss).isCloseTo(ReferenceModel.loss(spec, theta, batch), within(1e-5 * loss));

            double worst = 0;
            int worstAt = -1;
            for (int i = 0; i < theta.length; i++) {
                double fd = centralDifference(spec, theta, batch, i, 1e-6);
                double rel = Math.abs(grad[i] - fd) / Math.max(Math.max(Math.abs(grad[i]), Math.abs(fd)), 1e-3);
                if (rel > worst) {
                    worst = rel;
                    worstAt = i;
                }
            }
            System.out.printf("gradient check %s: %d parameters, max relative error %.3e (parameter %d)%n",
                    spec, theta.length, worst, worstAt);
            assertThat(worst).as("max relative error at parameter %d", worstAt).isLessThan(1e-3);
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void float32ModelAgreesWithFiniteDifferencesAtItsLargestGradients(ModelSpec spec) {
        try (Model model = Models.create(spec, 21)) {
            Batch batch = SyntheticBatches.withRandomWeights(SyntheticBatches.forSpec(spec, 6, 5), 3);
            model.computeGradients(batch);
            float[] grad = model.gradients().toFloatVector();
            float[] theta = model.parametersToArray();
            double[] thetaD = ReferenceModel.toDouble(theta);
            int[] largest = IntStream.range(0, grad.length).boxed()
                    .sorted(Comparator.comparingDouble(i -> -Math.abs(grad[i])))
                    .limit(20).mapToInt(Integer::intValue).toArray();
            float h = 1e-2f;
            double worst = 0;
            int checked = 0;
            for (int i : largest) {
                if (crossesKink(spec, thetaD, batch, i, h)) {
                    continue;
                }
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
                checked++;
            }
            System.out.printf("float32 finite differences %s: %d of 20 largest gradients checked (h=%.0e), max relative error %.3e%n",
                    spec, checked, h, worst);
            assertThat(checked).isGreaterThanOrEqualTo(15);
            assertThat(worst).isLessThan(2e-2);
        }
    }

    private static double centralDifference(ModelSpec spec, double[] theta, Batch batch, int i, double h) {
        double saved = theta[i];
        theta[i] = saved + h;
        double up = ReferenceModel.loss(spec, theta, batch);
        theta[i] = saved - h;
        double down = ReferenceModel.loss(spec, theta, batch);
        theta[i] = saved;
        return (up - down) / (2 * h);
    }

    /** A step of h that changes some ReLU's state bends the difference quotient away from the derivative. */
    private static boolean crossesKink(ModelSpec spec, double[] theta, Batch batch, int i, double h) {
        double coarse = centralDifference(spec, theta, batch, i, h);
        double fine = centralDifference(spec, theta, batch, i, 1e-6);
        return Math.abs(coarse - fine) > 1e-3 * Math.max(Math.abs(fine), 1e-3);
    }
}
