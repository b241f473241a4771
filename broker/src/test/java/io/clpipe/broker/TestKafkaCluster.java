package io.clpipe.broker;

/** A running Kafka cluster for a test: the embedded broker or a Testcontainers broker. */
public interface TestKafkaCluster extends AutoCloseable {

    String bootstrapServers();

    /** "embedded" or "testcontainers". */
    String kind();

    @Override
    void close();
}
