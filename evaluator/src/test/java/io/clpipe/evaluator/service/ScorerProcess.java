package io.clpipe.evaluator.service;

import io.clpipe.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/**
 * A scorer in its own JVM, for the kill test of spread scoring: {@code bootstrap prefix group transactionalId}.
 * Runs until killed, one request per transaction so that a kill lands between many commits, with the
 * short session and transaction timeouts of {@link EvaluatorProcess#clientProperties}.
 */
public final class ScorerProcess {

    private ScorerProcess() {
    }

    static ScorerServiceConfig config(String prefix, String group, String transactionalId) {
        return new ScorerServiceConfig(Topics.withPrefix(prefix), group, transactionalId, Duration.ofMillis(100),
                Duration.ofSeconds(120), 1);
    }

    public static void main(String[] args) throws Exception {
        ScorerService service = new ScorerService(config(args[1], args[2], args[3]),
                EvaluatorProcess.clientProperties(args[0], true), new SimpleMeterRegistry());
        service.start();
        while (service.isRunning()) {
            Thread.sleep(100);
        }
        System.exit(service.failure().isPresent() ? 1 : 0);
    }
}
