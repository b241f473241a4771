package io.clpipe.learner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.clpipe.models.Batch;
import io.clpipe.models.EvalResult;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrequentialTest {

    @Test
    void fadingFactorWeighsOlderSamplesGeometrically() {
        Prequential p = new Prequential(0.5);
        assertThat(p.accuracy()).isNaN();
        p.add(true, 1.0);   // S=1, L=1, N=1
        p.add(false, 3.0);  // S=0.5, L=3.5, N=1.5
        p.add(true, 2.0);   // S=1.25, L=3.75, N=1.75
        assertThat(p.accuracy()).isCloseTo(1.25 / 1.75, within(1e-12));
        assertThat(p.loss()).isCloseTo(3.75 / 1.75, within(1e-12));
        assertThat(p.samples()).isEqualTo(3);
    }

    @Test
    void alphaOneIsThePlainMeanAndStateRoundTrips() {
        Prequential p = new Prequential(1.0);
        for (int i = 0; i < 10; i++) {
            p.add(i % 4 == 0, i);
        }
        assertThat(p.accuracy()).isCloseTo(3 / 10.0, within(1e-12));
        assertThat(p.loss()).isCloseTo(4.5, within(1e-12));
        Prequential copy = new Prequential(1.0);
        copy.restore(p.state());
        p.add(true, 0);
        copy.add(true, 0);
        assertThat(copy.accuracy()).isEqualTo(p.accuracy());
        assertThatThrownBy(() -> new Prequential(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The learner's prequential score is what the weights before each step predicted, not the weights after it. */
    @Test
    void theLearnerReportsThePreUpdatePredictionsOfItsNewSamples() {
        ModelSpec spec = new ModelSpec.Mlp(5, new int[] {7}, 3, 16);
        LearnerConfig config = LearnerConfig.defaults().withBatchSize(8);
        Random random = new Random(3);
        try (ContinualLearner learner = ContinualLearner.create(spec, config, DivergenceListener.ignore());
             Model shadow = Models.create(spec, 0)) {
            Prequential online = new Prequential(1.0);
            long hits = 0;
            double lossSum = 0;
            double afterLossSum = 0;
            int n = 0;
            for (int step = 0; step < 30; step++) {
                List<Sample> fresh = new ArrayList<>();
                float[] features = new float[8 * 5];
                int[] labels = new int[8];
                for (int i = 0; i < 8; i++) {
                    float[] f = new float[5];
                    labels[i] = random.nextInt(3);
                    for (int j = 0; j < 5; j++) {
                        f[j] = (float) random.nextGaussian() + labels[i];
                    }
                    System.arraycopy(f, 0, features, i * 5, 5);
                    fresh.add(Sample.dense(f, labels[i], 0));
                }
                shadow.loadParameters(learner.model().parametersToArray());
                EvalResult before = shadow.evaluate(Batch.of(features, labels));
                learner.step(fresh);
                learner.scorePreUpdate(online);
                hits += before.correct();
                lossSum += before.lossSum();
                afterLossSum += learner.model().evaluate(Batch.of(features, labels)).lossSum();
                n += 8;
            }
            assertThat(online.samples()).isEqualTo(n);
            assertThat(online.accuracy()).isEqualTo((double) hits / n);
            assertThat(online.loss()).isCloseTo(lossSum / n, within(1e-5));
            assertThat(online.loss()).isNotCloseTo(afterLossSum / n, within(1e-3));
        }
    }
}
