package io.clpipe.evaluator.service;

import io.clpipe.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * An evaluator in its own JVM, for the crash test: {@code bootstrap prefix group stateDir}. Runs
 * until killed; one snapshot per transaction so that a kill lands between many commits.
 */
public final class EvaluatorProcess {

    private EvaluatorProcess() {
    }

    public static void main(String[] args) throws Exception {
        EvaluatorServiceConfig config = Scenario.config(Path.of(args[3])).topics(Topics.withPrefix(args[1])).groupId(args[2])
                .pollTimeout(Duration.ofMillis(100)).maxSnapshotsPerTransaction(1).build();
        Properties client = new Properties();
        client.put("bootstrap.servers", args[0]);
        EvaluatorService service = new EvaluatorService(config, client, new SimpleMeterRegistry());
        service.start();
        while (service.isRunning()) {
            Thread.sleep(100);
        }
        System.exit(service.failure().isPresent() ? 1 : 0);
    }
}
