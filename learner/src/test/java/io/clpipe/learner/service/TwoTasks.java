package io.clpipe.learner.service;

import io.clpipe.schemas.Features;
import io.clpipe.schemas.avro.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small synthetic continual stream: 8 Gaussian features, two linearly separable binary tasks with
 * different separating directions (t0: x0 + x1 > 0, t1: x2 − x3 > 0), {@code perTask} samples each,
 * t0 first. Seeded, so every call gives the same records.
 */
final class TwoTasks {

    static final int DIM = 8;

    private TwoTasks() {
    }

    static List<Sample> samples(String stream, int perTask, long seed) {
        Random random = new Random(seed);
        List<Sample> out = new ArrayList<>();
        for (int task = 0; task < 2; task++) {
            for (int i = 0; i < perTask; i++) {
                float[] x = new float[DIM];
                for (int j = 0; j < DIM; j++) {
                    x[j] = (float) random.nextGaussian();
                }
                int label = (task == 0 ? x[0] + x[1] : x[2] - x[3]) > 0 ? 1 : 0;
                out.add(Sample.newBuilder().setStream(stream).setTask("t" + task).setFeatures(Features.of(x)).setLabel(label)
                        .setSampleId(stream + ":" + out.size()).build());
            }
        }
        return out;
    }
}
