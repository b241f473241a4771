package io.clpipe.app;

import io.clpipe.broker.BrokerConfig;
import io.clpipe.broker.EmbeddedKafkaBroker;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clpipe broker}: a real single-node KRaft broker in this JVM, until Ctrl-C. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Runs an embedded single-node Kafka (KRaft) broker until stopped (Ctrl-C / SIGTERM).",
            "Prints its bootstrap address. Reusing --data-dir keeps topics and records across restarts."})
final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", description = "Client listener port on localhost (0 = any free port; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--controller-port", defaultValue = "0", description = "KRaft controller port (0 = any free port).")
    int controllerPort;

    @Option(names = "--data-dir", description = "Data directory (default: a temporary folder deleted on exit).")
    Path dataDir;

    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create clpipe's topics with their recommended configs (default: ${DEFAULT-VALUE}).")
    boolean createTopics;

    @Option(names = "--topic-prefix", defaultValue = "clpipe.", description = "Prefix of clpipe's topics (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Override
    public Integer call() throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new BrokerConfig(port, controllerPort, dataDir, Map.of()));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            spec.commandLine().getOut().println("Stopping broker...");
            spec.commandLine().getOut().flush();
            broker.close();
            stopped.countDown();
        }, "clpipe-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (createTopics) {
            broker.createTopics(Topics.withPrefix(topicPrefix).specs().stream().map(TopicSpec::newTopic).toList());
        }
        var out = spec.commandLine().getOut();
        out.println("Kafka broker ready: bootstrap.servers=" + broker.bootstrapServers());
        out.println("Data directory: " + broker.dataDir() + (dataDir == null ? " (temporary)" : ""));
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
