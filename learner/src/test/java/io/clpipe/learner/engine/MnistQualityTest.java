package io.clpipe.learner.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.datasets.LabeledImages;
import io.clpipe.datasets.Mnist;
import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.learner.engine.schedule.WarmupDecay;
import io.clpipe.models.Batch;
import io.clpipe.models.EvalResult;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.Models;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole engine on real data: MLP 784-256-256-10 on MNIST (single task) must reach 97% test accuracy. */
class MnistQualityTest {

    private static final Logger LOG = LoggerFactory.getLogger(MnistQualityTest.class);
    private static final int BATCH = 128;
    private static final int EPOCHS = 3;

    @Test
    void mlpReachesNinetySevenPercentOnMnist() {
        Mnist mnist = Mnist.load();
        LabeledImages train = mnist.train();
        int stepsPerEpoch = train.count() / BATCH;
        long total = (long) EPOCHS * stepsPerEpoch;
        LearnerConfig config = LearnerConfig.defaults().withSeed(2024).withBatchSize(BATCH)
                .withOptimizer(OptimizerSpec.Sgd.momentum(0.9))
                .withSchedule(WarmupDecay.cosine(0.05, 0.005, total / 20, total));
        ModelSpec.Mlp spec = new ModelSpec.Mlp(784, new int[] {256, 256}, 10, BATCH);

        try (Model model = Models.create(spec, config.modelSeed())) {
            ContinualLearner learner = new ContinualLearner(model, config);
            double before = evaluate(model, mnist.test()).accuracy();
            Xoshiro256 shuffle = new Xoshiro256(config.seed() + 1);
            int[] order = new int[train.count()];
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                permute(order, shuffle);
                for (int s = 0; s < stepsPerEpoch; s++) {
                    List<Sample> batch = new ArrayList<>(BATCH);
                    for (int i = s * BATCH; i < (s + 1) * BATCH; i++) {
                        batch.add(Sample.dense(train.image(order[i]), train.labels()[order[i]], 0));
                    }
                    StepResult r = learner.step(batch);
                    assertThat(r.diverged()).isFalse();
                }
                EvalResult test = evaluate(model, mnist.test());
                LOG.info("epoch {}: train loss {} test accuracy {} test loss {}", epoch + 1,
                        String.format("%.4f", learner.lastLoss()), String.format("%.4f", test.accuracy()),
                        String.format("%.4f", test.meanLoss()));
            }
            EvalResult result = evaluate(model, mnist.test());
            LOG.info("MNIST MLP 784-256-256-10, {} epochs, {} steps: test accuracy {}", EPOCHS, learner.iteration(),
                    result.accuracy());
            assertThat(before).isLessThan(0.5);
            assertThat(learner.iteration()).isEqualTo(total);
            assertThat(result.count()).isEqualTo(10_000);
            assertThat(result.accuracy()).isGreaterThanOrEqualTo(0.97);
        }
    }

    private static EvalResult evaluate(Model model, LabeledImages data) {
        return model.evaluate(Batch.of(data.pixels(), data.labels()));
    }

    private static void permute(int[] order, Xoshiro256 rng) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
