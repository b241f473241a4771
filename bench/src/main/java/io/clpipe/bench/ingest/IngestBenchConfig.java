package io.clpipe.bench.ingest;

/**
 * Settings of {@code clpipe bench pipeline} (the ingest part).
 *
 * @param records MNIST training images put on the samples topic as JSON (at most 60,000)
 * @param repeats timed runs after one warm-up run; the report shows the median and range
 */
public record IngestBenchConfig(int records, int repeats) {

    public IngestBenchConfig {
        if (records < 2 || repeats <= 0) {
            throw new IllegalArgumentException("need at least 2 records and 1 repeat");
        }
    }

    /** 20,000 images, 3 repeats. */
    public static IngestBenchConfig defaults() {
        return new IngestBenchConfig(20_000, 3);
    }

    public IngestBenchConfig withRecords(int v) {
        return new IngestBenchConfig(v, repeats);
    }

    public IngestBenchConfig withRepeats(int v) {
        return new IngestBenchConfig(records, v);
    }
}
