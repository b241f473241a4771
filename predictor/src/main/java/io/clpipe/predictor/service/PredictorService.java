package io.clpipe.predictor.service;

import io.clpipe.schemas.LoopThread;
import io.clpipe.schemas.Service;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prediction service ({@code clpipe serve}): requests in, predictions by each stream's newest model out.
 *
 * <ul>
 *   <li>Models: every instance reads every partition of the models topic (no group) and serves each
 *       stream's highest version; a newer snapshot replaces a model only once it is completely
 *       loaded. Before each poll's requests are answered the models topic is read to its end offsets
 *       of that moment, so a request read after a snapshot was acknowledged is answered by that
 *       version or a newer one.</li>
 *   <li>Exactly once: one poll's predictions, its dead letters and the requests' next offsets go in
 *       one Kafka transaction (exactly-once v2, offsets carry the group generation). Readers with
 *       {@code isolation.level=read_committed} see every request answered once, across restarts,
 *       crashes and rebalances.</li>
 *   <li>A request for a stream without any snapshot yet is answered at once with {@code version: null}
 *       and an error; a request that is malformed or does not fit its stream's model goes to the
 *       dead-letter topic with a reason.</li>
 *   <li>Scale-out: instances with the same group id share the requests partitions; each needs its own
 *       {@code transactional.id}.</li>
 * </ul>
 */
public final class PredictorService implements Service {

    private static final Logger log = LoggerFactory.getLogger(PredictorService.class);

    private final PredictorServiceConfig config;
    private final Properties clientProperties;
    private final PredictorMeters meters;
    private final Clock clock;
    private final LoopThread thread = new LoopThread("Predictor", Duration.ofMinutes(1),
            "its last batch may be uncommitted (a restart answers it)");
    private volatile PredictorLoop loop;

    /** @param registry where the {@code clpipe.predictor.*} meters are registered (one service per registry) */
    public PredictorService(PredictorServiceConfig config, Properties clientProperties, MeterRegistry registry) {
        this.config = config;
        this.clientProperties = clientProperties;
        this.meters = new PredictorMeters(registry);
        this.clock = Clock.systemUTC();
    }

    @Override
    public void start() {
        thread.start(this::run);
    }

    private void run(LoopThread self) {
        log.info("Predictor starting: group {}, requests from {}, snapshots from {}, predictions to {}", config.groupId(),
                config.topics().requests(), config.topics().models(), config.topics().predictions());
        try (PredictorLoop l = new PredictorLoop(config, new PredictorClients(config, clientProperties), meters, clock,
                self::running)) {
            loop = l;
            if (l.start()) {
                self.markReady();
                while (self.running()) {
                    l.runOnce();
                }
            }
            log.info("Predictor stopped cleanly: {}", l.summary());
        }
    }

    /** Waits until the models are loaded and requests are being consumed; false on timeout or failure. */
    @Override
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return thread.awaitReady(timeout);
    }

    /** Empty when requests are being answered (models read, partitions consumed), else why not: for {@code /ready}. */
    @Override
    public Optional<String> notReady() {
        if (!isRunning()) {
            return Optional.of("predictor not running");
        }
        return thread.isReady() ? Optional.empty() : Optional.of("reading the models topic and joining the requests group");
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** What stopped the service, if it failed. */
    @Override
    public Optional<Throwable> failure() {
        return thread.failure();
    }

    /** Commits the batch in progress and closes the clients. Idempotent. */
    @Override
    public void close() {
        thread.close(() -> {
            PredictorLoop l = loop;
            if (l != null) {
                l.wakeup();
            }
        });
    }
}
