package io.clpipe.learner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import io.clpipe.models.NativeEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ReptileTest {

    @BeforeAll
    static void selectNativeBuild() {
        NativeEnvironment.prepare();
    }

    @Test
    void interpolatesTowardTheAnchorEveryKSteps() {
        INDArray params = Nd4j.createFromArray(new float[] {1, 2, 3}).reshape(1, 3);
        Reptile reptile = new Reptile(new ReptileConfig(3, 0.25), params);
        params.assign(Nd4j.createFromArray(new float[] {5, 2, -1}).reshape(1, 3));
        assertThat(reptile.afterStep(1, params)).isFalse();
        assertThat(reptile.afterStep(2, params)).isFalse();
        assertThat(params.toFloatVector()).containsExactly(5, 2, -1);
        assertThat(reptile.afterStep(3, params)).isTrue();
        // θ_a + ε(θ − θ_a) = (1 + 0.25·4, 2, 3 + 0.25·(−4))
        assertThat(params.toFloatVector()).containsExactly(2, 2, 2);
        assertThat(reptile.anchor().toFloatVector()).containsExactly(2, 2, 2);
        params.addi(4);
        reptile.afterStep(6, params);
        assertThat(params.toFloatVector()).containsExactly(3, 3, 3);
    }

    @Test
    void epsilonOneIsPlainTrainingAndSmallEpsilonStaysNearTheAnchor() {
        Blobs blobs = new Blobs(6, 3, 21);
        List<List<Sample>> stream = java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> blobs.draw(16, new int[] {0, 1, 2}, 0)).toList();
        LearnerConfig base = LearnerConfig.defaults().withBatchSize(16)
                .withSchedule(io.clpipe.learner.engine.schedule.Constant.of(0.1));
        float[] init;
        try (SoftmaxRegression model = new SoftmaxRegression(6, 3, 16, 1)) {
            init = model.parametersToArray();
        }
        float[] plain = train(base, stream);
        float[] identity = train(base.withReptile(new ReptileConfig(4, 1.0)), stream);
        float[] damped = train(base.withReptile(new ReptileConfig(4, 0.1)), stream);
        // θ_a + 1·(θ − θ_a) is θ up to float rounding
        assertThat(distance(plain, identity)).isLessThan(1e-5);
        // with ε = 0.1 each 4-step excursion moves the weights only a tenth of the way
        assertThat(distance(damped, init)).isLessThan(0.3 * distance(plain, init));
    }

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    private static float[] train(LearnerConfig config, List<List<Sample>> stream) {
        try (SoftmaxRegression model = new SoftmaxRegression(6, 3, 16, 1)) {
            ContinualLearner learner = new ContinualLearner(model, config);
            stream.forEach(learner::step);
            return model.parametersToArray();
        }
    }
}
