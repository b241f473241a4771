package io.clpipe.bench.e2e;

/**
 * Settings of {@code clpipe bench e2e}.
 *
 * @param samples   MNIST training images produced to the samples topic (at most 60,000)
 * @param format    value format the producer writes: {@code json} (what {@code clpipe produce} writes) or {@code avro}
 * @param batchSize the learner's batch size (its default, 128): the last partial batch is not waited for
 * @param classpath the class path of the service JVMs
 * @param ingestKafkaConfig a {@code --kafka-config} file for the ingest JVM (Streams settings to compare), or null
 */
public record E2eConfig(int samples, Format format, int batchSize, String classpath, java.nio.file.Path ingestKafkaConfig) {

    public enum Format { json, avro }

    public E2eConfig {
        if (samples < 1 || samples > 60_000) {
            throw new IllegalArgumentException("--samples must be in [1, 60000] (the MNIST training images), got " + samples);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        if (format == null || classpath == null || classpath.isBlank()) {
            throw new IllegalArgumentException("format and class path are required");
        }
    }

    /** All 60,000 MNIST training images as JSON, batch 128, the services on this JVM's class path. */
    public static E2eConfig defaults() {
        return new E2eConfig(60_000, Format.json, 128, System.getProperty("java.class.path"), null);
    }

    public E2eConfig withSamples(int v) {
        return new E2eConfig(v, format, batchSize, classpath, ingestKafkaConfig);
    }

    public E2eConfig withFormat(Format v) {
        return new E2eConfig(samples, v, batchSize, classpath, ingestKafkaConfig);
    }

    public E2eConfig withIngestKafkaConfig(java.nio.file.Path v) {
        return new E2eConfig(samples, format, batchSize, classpath, v == null ? null : v.toAbsolutePath());
    }
}
