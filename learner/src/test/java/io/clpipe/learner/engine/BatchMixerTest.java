package io.clpipe.learner.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.clpipe.learner.engine.replay.ReplayConfig;
import io.clpipe.learner.engine.replay.ReplayPolicy;
import io.clpipe.learner.engine.replay.ReservoirBuffer;
import io.clpipe.models.Batch;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchMixerTest {

    private final Blobs blobs = new Blobs(4, 3, 1);

    private ReservoirBuffer filledBuffer(int n) {
        ReservoirBuffer buffer = new ReservoirBuffer(500);
        Xoshiro256 rng = new Xoshiro256(2);
        for (Sample s : blobs.draw(n, new int[] {0, 1, 2}, 0)) {
            buffer.add(s, rng);
        }
        return buffer;
    }

    @Test
    void aBatchHoldsRoundedReplayShareAndTheRestNew() {
        ReplayConfig replay = ReplayConfig.of(ReplayPolicy.RESERVOIR, 500, 0.3);
        assertThat(replay.replayPerBatch(128)).isEqualTo(38);
        LearnerConfig config = LearnerConfig.defaults().withReplay(replay);
        assertThat(config.newPerStep()).isEqualTo(90);

        BatchMixer mixer = new BatchMixer(4, 128, 500, null);
        List<Sample> fresh = blobs.draw(90, new int[] {0}, 1);
        BatchMixer.Mixed mixed = mixer.mix(fresh, filledBuffer(500), 38, new Xoshiro256(3));
        assertThat(mixed.fresh()).isEqualTo(90);
        assertThat(mixed.replayed()).isEqualTo(38);
        assertThat(mixed.batch().size()).isEqualTo(128);
        assertThat(mixed.batch().weights()).isNull();
        Sample.Dense first = (Sample.Dense) fresh.get(0);
        assertThat(java.util.Arrays.copyOfRange(mixed.batch().features(), 0, 4)).containsExactly(first.features());
    }

    @Test
    void replayedSamplesAreDistinctAndLimitedByTheBufferSize() {
        BatchMixer mixer = new BatchMixer(4, 64, 500, null);
        ReservoirBuffer small = filledBuffer(10);
        BatchMixer.Mixed mixed = mixer.mix(blobs.draw(20, new int[] {1}, 0), small, 30, new Xoshiro256(3));
        assertThat(mixed.replayed()).isEqualTo(10);
        Set<Float> firstFeature = new HashSet<>();
        Batch b = mixed.batch();
        for (int r = 20; r < 30; r++) {
            firstFeature.add(b.features()[r * 4]);
        }
        assertThat(firstFeature).hasSize(10);

        ReservoirBuffer big = filledBuffer(500);
        Xoshiro256 rng = new Xoshiro256(4);
        for (int trial = 0; trial < 50; trial++) {
            Batch batch = mixer.mix(blobs.draw(4, new int[] {1}, 0), big, 60, rng).batch();
            Set<Float> seen = new HashSet<>();
            for (int r = 4; r < 64; r++) {
                seen.add(batch.features()[r * 4]);
            }
            assertThat(seen).as("trial %d", trial).hasSize(60);
        }
    }

    @Test
    void lossWeightsGiveTheWeightedSumOfPartMeans() {
        try (SoftmaxRegression model = new SoftmaxRegression(4, 3, 64, 9)) {
            // favour class 2 so that the new part (all class 2) and the replayed part have different losses
            float[] params = model.parametersToArray();
            params[4 * 3 + 2] = 3;
            model.loadParameters(params);
            BatchMixer mixer = new BatchMixer(4, 64, 500, new ReplayConfig.LossWeights(0.3, 0.7));
            List<Sample> fresh = blobs.draw(24, new int[] {2}, 1);
            Batch batch = mixer.mix(fresh, filledBuffer(500), 40, new Xoshiro256(6)).batch();
            double weighted = model.computeGradients(batch);

            float[] f = batch.features();
            int[] l = batch.labels();
            double newMean = model.evaluate(new Batch(java.util.Arrays.copyOfRange(f, 0, 24 * 4),
                    java.util.Arrays.copyOfRange(l, 0, 24), null, 24)).meanLoss();
            double replayMean = model.evaluate(new Batch(java.util.Arrays.copyOfRange(f, 24 * 4, 64 * 4),
                    java.util.Arrays.copyOfRange(l, 24, 64), null, 40)).meanLoss();
            assertThat(newMean).isNotCloseTo(replayMean, within(0.5));
            assertThat(weighted).isCloseTo(0.3 * newMean + 0.7 * replayMean, within(1e-5));
        }
    }
}
