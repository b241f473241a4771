package io.clpipe.bench.learner;

import io.clpipe.datasets.LabeledImages;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.avro.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * What the service does to every training record before it can train on it, alone: Avro-decode the
 * value as the training topic holds it and copy the features out ({@link Features#toArray}), on one
 * thread. Median µs per record over a few rounds, the first (cold) one dropped.
 */
final class DecodeCost {

    private static final int ROUNDS = 4;

    private DecodeCost() {
    }

    static double microsPerRecord(LabeledImages images, int count) {
        AvroSerde<Sample> serde = AvroSerde.sample();
        List<byte[]> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(serde.serialize(Sample.newBuilder().setStream("bench").setFeatures(Features.of(images.image(i)))
                    .setLabel(images.labels()[i]).setSampleId("mnist-train:" + i).build()));
        }
        List<Double> rounds = new ArrayList<>();
        float checksum = 0;
        for (int r = 0; r < ROUNDS; r++) {
            long start = System.nanoTime();
            for (byte[] value : values) {
                checksum += Features.toArray(serde.deserialize(value).getFeatures())[400];
            }
            rounds.add((System.nanoTime() - start) / 1e3 / count);
        }
        if (Float.isNaN(checksum)) {
            throw new IllegalStateException("decoded features are not finite");
        }
        return Spread.of(rounds.subList(1, ROUNDS)).median();
    }
}
