package io.clpipe.bench.ingest;

import io.clpipe.datasets.LabeledImages;
import io.clpipe.datasets.Mnist;
import io.clpipe.ingest.routing.Routing;
import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.routing.SampleRouter;
import io.clpipe.ingest.routing.StreamState;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.RawRecord;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.avro.Sample;
import java.util.Arrays;
import java.util.Locale;

/**
 * Ingest's per-record work without Kafka, on one thread: MNIST samples as JSON (or Avro) through
 * {@link SampleRouter#route} (decode, validate, split) and the Avro encoding of the accepted sample.
 * {@code [records [passes [json|avro]]]}; prints µs per record of each pass and the median of the passes after the first.
 */
public final class IngestCodecMain {

    private IngestCodecMain() {
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        boolean avro = args.length > 2 && args[2].equals("avro");
        LabeledImages images = Mnist.load().train();
        AvroSerde<Sample> serde = AvroSerde.sample();
        byte[][] values = new byte[records][];
        for (int i = 0; i < records; i++) {
            Sample s = Sample.newBuilder().setStream("bench").setFeatures(Features.of(images.image(i))).setLabel(images.labels()[i])
                    .setSampleId("mnist-train:" + i).build();
            values[i] = avro ? serde.serialize(s) : SampleJson.write(s);
        }
        SampleRouter router = new SampleRouter(RoutingConfig.defaults());
        double[] micros = new double[passes];
        long sink = 0;
        for (int pass = 0; pass < passes; pass++) {
            StreamState state = StreamState.NEW;
            long start = System.nanoTime();
            for (int i = 0; i < records; i++) {
                Routing r = router.route(new RawRecord("clpipe.samples", 0, i, "bench", values[i]), state, 0L);
                Routing.Accepted accepted = (Routing.Accepted) r;
                state = accepted.state();
                sink += serde.serialize(accepted.sample()).length;
            }
            micros[pass] = (System.nanoTime() - start) / 1e3 / records;
            System.out.printf(Locale.ROOT, "pass %d: %.1f µs per record%n", pass + 1, micros[pass]);
        }
        double[] timed = Arrays.copyOfRange(micros, 1, passes);
        Arrays.sort(timed);
        System.out.printf(Locale.ROOT, "%s, %,d records of %,.0f B: median %.1f µs per record (%,.0f records/s on one thread) [%d]%n",
                avro ? "Avro" : "JSON", records, Arrays.stream(values).mapToInt(v -> v.length).average().orElse(0),
                timed[timed.length / 2], 1e6 / timed[timed.length / 2], sink % 10);
    }
}
