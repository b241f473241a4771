package io.clpipe.broker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Starts a real broker for integration tests: Testcontainers' Kafka when a Docker engine answers,
 * the embedded KRaft broker otherwise (CI has no Docker engine). Logs which one it chose.
 * {@code -Dclpipe.test.kafka=embedded} forces the embedded broker.
 */
public final class KafkaClusters {

    private static final Logger log = LoggerFactory.getLogger(KafkaClusters.class);
    static final String KAFKA_IMAGE = "apache/kafka:4.4.0";

    private KafkaClusters() {
    }

    public static TestKafkaCluster start() {
        boolean forceEmbedded = "embedded".equals(System.getProperty("clpipe.test.kafka"));
        if (!forceEmbedded && dockerAvailable()) {
            KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
            container.start();
            log.info("Test Kafka: Testcontainers {} at {}", KAFKA_IMAGE, container.getBootstrapServers());
            return new TestKafkaCluster() {
                @Override
                public String bootstrapServers() {
                    return container.getBootstrapServers();
                }

                @Override
                public String kind() {
                    return "testcontainers";
                }

                @Override
                public void close() {
                    container.stop();
                }
            };
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral());
        log.info("Test Kafka: embedded KRaft broker at {} ({})", broker.bootstrapServers(),
                forceEmbedded ? "forced by -Dclpipe.test.kafka=embedded" : "no Docker engine answered");
        return new TestKafkaCluster() {
            @Override
            public String bootstrapServers() {
                return broker.bootstrapServers();
            }

            @Override
            public String kind() {
                return "embedded";
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
