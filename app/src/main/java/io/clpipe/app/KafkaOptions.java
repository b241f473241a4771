package io.clpipe.app;

import io.clpipe.schemas.TopicPrefixSetting;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Connection options every Kafka-facing subcommand shares. {@code --kafka-config} passes any client
 * property through unchanged (SASL, TLS, timeouts, even {@code bootstrap.servers}); the bootstrap
 * servers come from {@code --bootstrap-servers}, else the file, else {@code $CLPIPE_BOOTSTRAP_SERVERS},
 * else {@code localhost:9092}.
 */
final class KafkaOptions {

    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    @Option(names = {"-b", "--bootstrap-servers"},
            description = "Kafka bootstrap servers (default: bootstrap.servers of --kafka-config, else $CLPIPE_BOOTSTRAP_SERVERS, else "
                    + DEFAULT_BOOTSTRAP + ").")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Properties file of Kafka client settings (bootstrap.servers, security.protocol, sasl.*, ssl.*, ...).")
    Path kafkaConfig;

    @Option(names = "--topic-prefix", defaultValue = "clpipe.", description = "Prefix of clpipe's topics (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    /** Client properties: the file's, with the bootstrap servers resolved as the class comment says. */
    Properties clientProperties() {
        Properties props = new Properties();
        if (kafkaConfig != null) {
            try (Reader reader = Files.newBufferedReader(kafkaConfig)) {
                props.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --kafka-config " + kafkaConfig + ": " + e.getMessage(), e);
            }
        }
        if (bootstrapServers != null) {
            props.put("bootstrap.servers", bootstrapServers);
        } else if (props.getProperty("bootstrap.servers", "").isBlank()) {
            String env = System.getenv("CLPIPE_BOOTSTRAP_SERVERS");
            props.put("bootstrap.servers", env == null || env.isBlank() ? DEFAULT_BOOTSTRAP : env);
        }
        return props;
    }

    /** {@code --topic-prefix} as the service's {@code topics.prefix}, unless its settings name a prefix already. */
    void applyTopicPrefix(Properties props) {
        if (props.getProperty(TopicPrefixSetting.KEY) == null && props.getProperty(TopicPrefixSetting.FORMER_KEY) == null) {
            props.setProperty(TopicPrefixSetting.KEY, topicPrefix);
        }
    }
}
