package io.clpipe.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Connection options every Kafka-facing subcommand shares. {@code --kafka-config} passes any client
 * property through unchanged (SASL, TLS, timeouts); {@code --bootstrap-servers} wins over the file.
 */
final class KafkaOptions {

    @Option(names = {"-b", "--bootstrap-servers"}, defaultValue = "${env:CLPIPE_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $CLPIPE_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Properties file of extra Kafka client settings (security.protocol, sasl.*, ssl.*, ...).")
    Path kafkaConfig;

    @Option(names = "--topic-prefix", defaultValue = "clpipe.", description = "Prefix of clpipe's topics (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    /** Client properties: the file's, then the bootstrap servers. */
    Properties clientProperties() {
        Properties props = new Properties();
        if (kafkaConfig != null) {
            try (Reader reader = Files.newBufferedReader(kafkaConfig)) {
                props.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --kafka-config " + kafkaConfig + ": " + e.getMessage(), e);
            }
        }
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }
}
