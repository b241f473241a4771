package io.clpipe.evaluator.service;

import io.clpipe.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * An evaluator in its own JVM, for the crash and failover tests: {@code bootstrap prefix group stateDir
 * transactionalId [fast-failover]}. Runs until killed; one snapshot per transaction so that a kill
 * lands between many commits.
 */
public final class EvaluatorProcess {

    private EvaluatorProcess() {
    }

    /**
     * With {@code fastFailover}, short session and transaction timeouts, so that a killed evaluator's
     * partitions and its open transaction are released within seconds rather than the defaults' 45 and 60.
     */
    static Properties clientProperties(String bootstrapServers, boolean fastFailover) {
        Properties client = new Properties();
        client.put("bootstrap.servers", bootstrapServers);
        if (fastFailover) {
            client.put("session.timeout.ms", "6000");
            client.put("heartbeat.interval.ms", "1000");
            client.put("transaction.timeout.ms", "10000");
        }
        return client;
    }

    public static void main(String[] args) throws Exception {
        EvaluatorServiceConfig config = Scenario.config(Path.of(args[3])).topics(Topics.withPrefix(args[1])).groupId(args[2])
                .transactionalId(args[4]).pollTimeout(Duration.ofMillis(100)).maxSnapshotsPerTransaction(1).build();
        EvaluatorService service = new EvaluatorService(config,
                clientProperties(args[0], args.length > 5 && args[5].equals("fast-failover")), new SimpleMeterRegistry());
        service.start();
        while (service.isRunning()) {
            Thread.sleep(100);
        }
        System.exit(service.failure().isPresent() ? 1 : 0);
    }
}
