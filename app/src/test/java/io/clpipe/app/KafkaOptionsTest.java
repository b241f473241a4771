package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a service connects to and where it serves /metrics when only --kafka-config is given. */
class KafkaOptionsTest {

    @Test
    void theKafkaConfigFileAloneConfiguresTheClientAndTheFlagStillWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=broker.example:9093\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
        LearnerCommand fromFile = parse("--kafka-config", file.toString());
        assertThat(fromFile.kafka.clientProperties()).containsEntry("bootstrap.servers", "broker.example:9093")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        LearnerCommand flag = parse("--kafka-config", file.toString(), "--bootstrap-servers", "other:9092");
        assertThat(flag.kafka.clientProperties()).containsEntry("bootstrap.servers", "other:9092")
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void metricsBindToLoopbackUnlessToldOtherwise() throws Exception {
        assumeTrue(System.getenv("CLPIPE_METRICS_BIND") == null, "CLPIPE_METRICS_BIND is set in this environment");
        LearnerCommand learner = parse();
        assertThat(InetAddress.getByName(learner.metricsOptions.bind).isLoopbackAddress()).isTrue();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(learner.metricsOptions.bind, 0, "test")) {
            assertThat(endpoint.port()).isPositive();
        }
        assertThat(parse("--metrics-bind", "0.0.0.0").metricsOptions.bind).isEqualTo("0.0.0.0");
    }

    private static LearnerCommand parse(String... args) {
        LearnerCommand command = new LearnerCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
