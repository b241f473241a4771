package io.clpipe.bench.evaluator;

import io.clpipe.models.Batch;
import io.clpipe.models.FusedSgdStep;
import io.clpipe.models.Model;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.avro.ModelSnapshot;
import java.util.List;
import java.util.Random;

/**
 * What the learner needs per snapshot at ρ = 1: one fused SGD step on a batch of synthetic samples,
 * then the snapshot's bytes (parameters copied out, float32 encoded, CRC-32C, Avro). Compute only:
 * no Kafka, no sample decoding.
 */
final class LearnerSnapshotRun {

    private final Model model;
    private final FusedSgdStep step;
    private final Batch batch;
    private final AvroSerde<ModelSnapshot> serde;
    private final List<String> tasks;
    private long version;

    LearnerSnapshotRun(Model model, int batchSize, AvroSerde<ModelSnapshot> serde, List<String> tasks, long seed) {
        if (!(model instanceof FusedSgdStep fused)) {
            throw new IllegalArgumentException(model.spec() + " has no fused SGD step");
        }
        this.model = model;
        this.step = fused;
        this.serde = serde;
        this.tasks = List.copyOf(tasks);
        Random random = new Random(seed);
        int dim = model.spec().inputDim();
        float[] features = new float[batchSize * dim];
        for (int i = 0; i < features.length; i++) {
            features[i] = random.nextFloat();
        }
        int[] labels = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            labels[i] = random.nextInt(model.spec().classes());
        }
        this.batch = Batch.of(features, labels);
    }

    /** Seconds for {@code steps} steps, each followed by encoding a snapshot if {@code withSnapshot}. */
    double seconds(int steps, boolean withSnapshot) {
        long start = System.nanoTime();
        long bytes = 0;
        for (int i = 0; i < steps; i++) {
            step.sgdStep(batch, 0.001f);
            version++;
            if (withSnapshot) {
                bytes += SnapshotBytes.of(model, serde, version, tasks.get(0), tasks).length;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (withSnapshot && bytes == 0) {
            throw new IllegalStateException("no snapshot bytes were produced");
        }
        return seconds;
    }
}
