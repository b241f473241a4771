package io.clpipe.evaluator.service;

import io.clpipe.schemas.Service;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private static final Duration CLOSE_TIMEOUT = Duration.ofMinutes(1);

    private final ScorerServiceConfig config;
    private final Properties clientProperties;
    private final MeterRegistry registry;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile ScoringLoop loop;
    private volatile boolean ready;
    private volatile Throwable failure;
    private Thread thread;

    public ScorerService(ScorerServiceConfig config, Properties clientProperties, MeterRegistry registry) {
        this.config = config;
        this.clientProperties = clientProperties;
        this.registry = registry;
    }

    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the scorer was already started");
        }
        thread = new Thread(this::run, "clpipe-scorer");
        thread.start();
    }

    private void run() {
        try (ScoringLoop l = new ScoringLoop(config, new ScorerClients(config, clientProperties), registry, () -> running)) {
            loop = l;
            l.start();
            ready = true;
            while (running) {
                l.runOnce();
            }
            log.info("Scorer stopped cleanly: {}", l.summary());
        } catch (Throwable t) {
            failure = t;
            log.error("Scorer failed and stopped: {}", t.toString(), t);
        } finally {
            running = false;
            stopped.countDown();
        }
    }

    public boolean isRunning() {
        return started.get() && stopped.getCount() > 0;
    }

    @Override
    public Optional<String> notReady() {
        if (!isRunning()) {
            return Optional.of("scoring loop not running");
        }
        ScoringLoop l = loop;
        if (!ready || l == null) {
            return Optional.of("starting");
        }
        return l.joined() ? Optional.empty()
                : Optional.of("waiting for the partitions of " + config.topics().scoreRequests() + " (joining group " + config.groupId() + ")");
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Finishes and commits the batch in progress, leaves the group, closes the clients. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        running = false;
        ScoringLoop l = loop;
        if (l != null) {
            l.wakeup();
        }
        if (thread == null) {
            return;
        }
        try {
            if (!stopped.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.error("Scorer did not stop within {}; its last batch is scored again by another scorer", CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
