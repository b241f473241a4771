package io.clpipe.harness.chaos;

import io.clpipe.schemas.Features;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The stream of known content every scenario produces: per stream, two tasks of 8 Gaussian features
 * (t0: x0 + x1 > 0, t1: x2 − x3 > 0), each task's eval samples (split EVAL) first, then its training
 * samples. With {@code poison} > 0 the first stream also gets that many training samples whose
 * features are all {@value #POISON}: finite, so validation accepts them, but large enough that the
 * forward pass overflows and the loss is NaN or infinite.
 */
record ChaosData(List<List<Sample>> streams) {

    static final int DIM = 8;
    static final float POISON = 3.0e38f;

    static ChaosData generate(int streams, int perTask, int evalPerTask, int poison, long seed) {
        List<List<Sample>> out = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            String stream = "s" + s;
            Random random = new Random(seed * 1000 + s);
            List<Sample> records = new ArrayList<>();
            int poisoned = s == 0 ? poison : 0;
            int trainSeen = 0;
            int total = 2 * perTask;
            for (int task = 0; task < 2; task++) {
                for (int i = 0; i < evalPerTask; i++) {
                    records.add(sample(stream, task, random, Split.EVAL, records.size()));
                }
                for (int i = 0; i < perTask; i++) {
                    trainSeen++;
                    // evenly spread, never the very first samples: the stream first learns something to roll back to
                    if (poisoned > 0 && trainSeen % (total / (poison + 1)) == 0 && trainSeen / (total / (poison + 1)) <= poison) {
                        float[] x = new float[DIM];
                        Arrays.fill(x, POISON);
                        records.add(Sample.newBuilder().setStream(stream).setTask("t" + task).setFeatures(Features.of(x)).setLabel(0)
                                .setSplit(Split.TRAIN).setSampleId(stream + ":" + records.size()).build());
                        continue;
                    }
                    records.add(sample(stream, task, random, Split.TRAIN, records.size()));
                }
            }
            out.add(records);
        }
        return new ChaosData(out);
    }

    private static Sample sample(String stream, int task, Random random, Split split, int index) {
        float[] x = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            x[j] = (float) random.nextGaussian();
        }
        int label = (task == 0 ? x[0] + x[1] : x[2] - x[3]) > 0 ? 1 : 0;
        return Sample.newBuilder().setStream(stream).setTask("t" + task).setFeatures(Features.of(x)).setLabel(label).setSplit(split)
                .setSampleId(stream + ":" + index).build();
    }

    static String streamName(int index) {
        return "s" + index;
    }

    /** Training samples of the stream (what the learner must train exactly once, poison included). */
    long trainCount(int stream) {
        return streams.get(stream).stream().filter(r -> r.getSplit() == Split.TRAIN).count();
    }

    /** Slice {@code phase} of {@code phases} of every stream, streams interleaved record by record. */
    List<Sample> phase(int phase, int phases) {
        List<Sample> out = new ArrayList<>();
        int longest = streams.stream().mapToInt(List::size).max().orElse(0);
        int from = (int) ((long) longest * phase / phases);
        int to = (int) ((long) longest * (phase + 1) / phases);
        for (int i = from; i < to; i++) {
            for (List<Sample> s : streams) {
                if (i < s.size()) {
                    out.add(s.get(i));
                }
            }
        }
        return out;
    }
}
