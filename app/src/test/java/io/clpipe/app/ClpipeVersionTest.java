package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClpipeVersionTest {

    @Test
    void theVersionLineNamesTheKafkaClientOnTheClasspath() {
        assertThat(ClpipeVersion.kafkaVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(new ClpipeVersion().getVersion()[0]).contains("(Kafka " + ClpipeVersion.kafkaVersion() + ",");
    }
}
