package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.Direction;
import io.clpipe.schemas.LoopThread;
import io.clpipe.schemas.Service;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator service: model snapshots in, one metrics record per evaluated snapshot version out.
 *
 * <ul>
 *   <li>Eval sets are filled from the eval topic; before each batch of snapshots the eval topic is
 *       read up to its end offsets of that moment (bounded by {@code catchUpTimeout}), so a
 *       snapshot is scored on what ingest wrote before it. A seen task with no eval samples yet is
 *       reported with accuracy null and 0 samples, and the other tasks are scored.</li>
 *   <li>Each snapshot version is evaluated once per stream: versions at or below the last evaluated
 *       one (a restarted learner republishing) are skipped.</li>
 *   <li>Exactly once: the metrics records of a batch and the consumed models-topic offsets are
 *       committed in one Kafka transaction (exactly-once v2: the offsets carry the group generation,
 *       so an evaluator the group has moved on from cannot commit); the metrics engines are then
 *       saved to the state directory with the metrics-topic positions they include. On start the
 *       saved engines are restored and any metrics records committed after the save (a crash in
 *       between, or another evaluator's work) are replayed from the metrics topic, so nothing is
 *       lost, repeated or counted twice. Without a state file the engines are rebuilt from the whole
 *       metrics topic.</li>
 *   <li>Scale-out and failover: evaluators with the same group id share the models topic's
 *       partitions (one stream's snapshots stay in one partition). Each needs its own
 *       {@code transactional.id} and state directory. When partitions move (an evaluator joins,
 *       leaves or dies), the new owner first reads the metrics topic at least as far as the last
 *       transaction of the previous owner (its {@link LedgerMark} rides on the committed offsets), so
 *       the streams it takes over continue their metrics exactly. Each evaluator exports the per-stream
 *       meters of the streams it evaluates.</li>
 *   <li>Eval sets are not persisted: they are rebuilt by re-reading the eval topic from its start
 *       with the same seeded reservoirs. In fixed-subset mode each task's subset is drawn as soon as
 *       it holds eval-set-size samples, so the rebuilt subsets are identical (a fingerprint check
 *       warns if retention removed samples since). Resampled mode is not exact across restarts.</li>
 *   <li>A second evaluator with the same transactional id fences the first, which stops with an error.</li>
 *   <li>With {@code scoring=spread} the per-task scores of each batch's new versions come from
 *       {@link ScorerService} instances ({@link SpreadBatchScorer}); everything else above is unchanged,
 *       so the metrics records are the ones this evaluator publishes when it scores alone.</li>
 * </ul>
 *
 * {@link #start()} runs the loop on its own thread; {@link #close()} finishes and commits the batch
 * in progress, saves the state and closes the clients.
 */
public final class EvaluatorService implements Service {

    private static final Logger log = LoggerFactory.getLogger(EvaluatorService.class);

    private final EvaluatorServiceConfig config;
    private final Properties clientProperties;
    private final EvaluatorMeters meters;
    private final Clock clock;
    private final LoopThread thread = new LoopThread("Evaluator", Duration.ofMinutes(2),
            "its last batch may be uncommitted (a restart recovers it)");
    private volatile EvaluationLoop loop;

    /**
     * @param clientProperties bootstrap servers and any security settings, passed to every client
     * @param registry         where the {@code clpipe.eval.*} meters are registered (one service per registry)
     */
    public EvaluatorService(EvaluatorServiceConfig config, Properties clientProperties, MeterRegistry registry) {
        this(config, clientProperties, registry, Clock.systemUTC());
    }

    EvaluatorService(EvaluatorServiceConfig config, Properties clientProperties, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.clientProperties = clientProperties;
        this.meters = new EvaluatorMeters(registry);
        this.clock = clock;
    }

    @Override
    public void start() {
        thread.start(this::run);
    }

    private void run(LoopThread self) {
        log.info("Evaluator starting: group {}, snapshots from {}, eval samples from {}, metrics to {}; eval set {} samples "
                        + "per task ({}), direction {}, state in {}", config.groupId(), config.topics().models(),
                config.topics().eval(), config.topics().metrics(), config.evalSetSize(),
                config.subsetMode().name().toLowerCase(Locale.ROOT),
                config.direction().map(Direction::label).orElse("from each model spec"), config.stateDir());
        try (EvaluationLoop l = new EvaluationLoop(config, new KafkaClients(config, clientProperties), meters, clock,
                self::running)) {
            loop = l;
            if (l.recover()) {
                self.markReady();
                while (self.running()) {
                    l.runOnce();
                }
            }
            log.info("Evaluator stopped cleanly: {}", l.summary());
        }
    }

    /** Waits until recovery is done and snapshots are being consumed; false on timeout or failure. */
    @Override
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return thread.awaitReady(timeout);
    }

    /** True while the loop thread runs (false after close() or a failure). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Why the evaluator cannot score snapshots now: loop not running, recovering, or not yet in its group; empty when it can. */
    @Override
    public Optional<String> notReady() {
        if (!isRunning()) {
            return Optional.of("evaluation loop not running");
        }
        if (!thread.isReady()) {
            return Optional.of("recovering its state from " + config.topics().metrics());
        }
        EvaluationLoop l = loop;
        return l != null && l.joined() ? Optional.empty()
                : Optional.of("waiting for the partitions of " + config.topics().models() + " (joining group " + config.groupId() + ")");
    }

    /** What stopped the service, if it failed. */
    @Override
    public Optional<Throwable> failure() {
        return thread.failure();
    }

    /** Finishes and commits the batch in progress, saves the state, closes the clients. Idempotent. */
    @Override
    public void close() {
        thread.close(() -> {
            EvaluationLoop l = loop;
            if (l != null) {
                l.wakeup();
            }
        });
    }
}
