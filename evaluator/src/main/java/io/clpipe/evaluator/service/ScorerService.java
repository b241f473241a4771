package io.clpipe.evaluator.service;

import io.clpipe.schemas.LoopThread;
import io.clpipe.schemas.Service;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scorer of spread scoring (docs/architecture.md, "Spread scoring"): scores the snapshot versions
 * that evaluators in {@code scoring=spread} mode request, on eval sets built from the eval topic with
 * the settings each request carries, and publishes each version's per-task scores exactly once.
 * Scorers share the score-requests topic's partitions as one consumer group; they keep no state on disk
 * (eval sets are rebuilt from the eval topic) and can be added, removed or killed at any time: requests
 * whose scores were not committed are scored again by the scorer the group gives them to. The evaluator
 * that asked orders the scores by version and publishes the metrics.
 */
public final class ScorerService implements Service {

    private static final Logger log = LoggerFactory.getLogger(ScorerService.class);

    private final ScorerServiceConfig config;
    private final Properties clientProperties;
    private final MeterRegistry registry;
    private final LoopThread thread = new LoopThread("Scorer", Duration.ofMinutes(1),
            "its last batch is scored again by another scorer");
    private volatile ScoringLoop loop;

    public ScorerService(ScorerServiceConfig config, Properties clientProperties, MeterRegistry registry) {
        this.config = config;
        this.clientProperties = clientProperties;
        this.registry = registry;
    }

    @Override
    public void start() {
        thread.start(this::run);
    }

    private void run(LoopThread self) {
        try (ScoringLoop l = new ScoringLoop(config, new ScorerClients(config, clientProperties), registry, self::running)) {
            loop = l;
            l.start();
            self.markReady();
            while (self.running()) {
                l.runOnce();
            }
            log.info("Scorer stopped cleanly: {}", l.summary());
        }
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public Optional<String> notReady() {
        if (!isRunning()) {
            return Optional.of("scoring loop not running");
        }
        ScoringLoop l = loop;
        if (!thread.isReady() || l == null) {
            return Optional.of("starting");
        }
        return l.joined() ? Optional.empty()
                : Optional.of("waiting for the partitions of " + config.topics().scoreRequests() + " (joining group " + config.groupId() + ")");
    }

    @Override
    public Optional<Throwable> failure() {
        return thread.failure();
    }

    /** Finishes and commits the batch in progress, leaves the group, closes the clients. Idempotent. */
    @Override
    public void close() {
        thread.close(() -> {
            ScoringLoop l = loop;
            if (l != null) {
                l.wakeup();
            }
        });
    }
}
