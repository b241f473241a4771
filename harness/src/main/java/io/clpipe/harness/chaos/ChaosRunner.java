package io.clpipe.harness.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clpipe.broker.BrokerConfig;
import io.clpipe.broker.EmbeddedKafkaBroker;
import io.clpipe.evaluator.service.EvaluatorServiceConfig;
import io.clpipe.evaluator.service.MetricsAudit;
import io.clpipe.learner.service.CheckpointInspector;
import io.clpipe.learner.service.KafkaCheckpointStore;
import io.clpipe.learner.service.LearnerService;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.IterationMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the fault scenarios of {@code clpipe chaos}: per fault, a pipeline of service JVMs on an
 * embedded broker is fed a stream of known content in four phases while the fault is injected, runs
 * until the learner has trained everything, and is stopped; then the topics and the final
 * checkpoints are counted, and an uninterrupted in-process learner trains the same training topic
 * for the reference weights.
 */
public final class ChaosRunner {

    private static final Logger log = LoggerFactory.getLogger(ChaosRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int PHASES = 4;

    private final ChaosSettings settings;
    private final PrintStream progress;
    private final ChaosWait wait;
    private EmbeddedKafkaBroker broker;
    private BrokerConfig brokerConfig;

    public ChaosRunner(ChaosSettings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
        this.wait = new ChaosWait(settings.timeout());
    }

    /** Every fault of the settings, in order; the broker is started here and stopped at the end. */
    public List<FaultResult> run() {
        broker = EmbeddedKafkaBroker.start(new BrokerConfig(0, 0, settings.work().resolve("broker"), Map.of()));
        brokerConfig = new BrokerConfig(broker.port(), broker.controllerPort(), broker.dataDir(), Map.of());
        try {
            List<FaultResult> results = new ArrayList<>();
            for (Fault f : settings.faults()) {
                progress.printf("chaos: %s ...%n", f.label());
                long started = System.nanoTime();
                FaultResult r = scenario(f);
                progress.printf("chaos: %s done in %d s: %s%n", f.label(), (System.nanoTime() - started) / 1_000_000_000L,
                        r.clean() ? "nothing lost, nothing twice, weights match" : "PROBLEMS " + r);
                results.add(r);
            }
            return results;
        } finally {
            broker.close();
        }
    }

    private String bootstrap() {
        return "localhost:" + brokerConfig.port();
    }

    private void restartBroker() {
        log.info("Restarting the broker (same data directory {} and port {})", brokerConfig.dataDir(), brokerConfig.port());
        broker.close();
        broker = EmbeddedKafkaBroker.start(brokerConfig);
    }

    private Topics createTopics(String prefix, boolean withTrain) {
        Topics topics = Topics.withPrefix(prefix);
        List<TopicSpec> specs = topics.specs().stream()
                .filter(t -> withTrain || !t.name().equals(topics.train()))
                .map(t -> Set.of(topics.samples(), topics.train(), topics.eval(), topics.models(), topics.metrics()).contains(t.name())
                        ? t.withPartitions(ChaosPipeline.PARTITIONS) : t).toList();
        broker.createTopics(specs.stream().map(TopicSpec::newTopic).toList());
        awaitLeaders(specs);
        return topics;
    }

    /**
     * Waits until every new partition answers at its leader: an exactly-once producer that writes
     * while a leader is being set up was seen to fail with OUT_OF_ORDER_SEQUENCE_NUMBER.
     */
    private void awaitLeaders(List<TopicSpec> specs) {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> partitions = new LinkedHashMap<>();
        specs.forEach(t -> {
            for (int p = 0; p < t.partitions(); p++) {
                partitions.put(new org.apache.kafka.common.TopicPartition(t.name(), p), org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
        });
        try (org.apache.kafka.clients.admin.Admin admin = broker.admin()) {
            wait.awaitPlain(() -> {
                try {
                    admin.listOffsets(partitions).all().get();
                    return true;
                } catch (java.util.concurrent.ExecutionException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }, "the leaders of " + partitions.size() + " new partitions");
        }
    }

    private FaultResult scenario(Fault fault) {
        String prefix = "chaos-" + fault.slug() + ".";
        Topics topics = createTopics(prefix, true);
        Path dir = settings.work().resolve(fault.slug());
        ChaosData data = ChaosData.generate(settings.streams(), settings.perTask(), settings.evalPerTask(),
                fault == Fault.DIVERGENCE ? settings.poisonSamples() : 0, settings.seed());
        KafkaView view = new KafkaView(bootstrap());
        Random random = new Random(settings.seed() * 31 + fault.ordinal());
        int injected = 0;
        List<String> notes = new ArrayList<>();
        Map<String, Long> steps;
        try (ChaosPipeline pipeline = new ChaosPipeline(topics, dir, bootstrap(), settings.seed())) {
            pipeline.start(ChaosPipeline.Role.INGEST, "ingest");
            if (fault == Fault.SCORER_FAILOVER) {
                pipeline.spreadScoring();
                pipeline.start(ChaosPipeline.Role.SCORER, "scorer-a");
                pipeline.start(ChaosPipeline.Role.SCORER, "scorer-b");
            }
            pipeline.start(ChaosPipeline.Role.EVALUATOR, "evaluator");
            pipeline.start(ChaosPipeline.Role.LEARNER, "learner-a");
            if (fault == Fault.LEARNER_FAILOVER) {
                pipeline.start(ChaosPipeline.Role.LEARNER, "learner-b");
            }
            if (fault == Fault.EVALUATOR_FAILOVER) {
                pipeline.start(ChaosPipeline.Role.EVALUATOR, "evaluator-b");
            }
            FaultInjector injector = new FaultInjector(settings, fault, pipeline, view, random, wait, this::restartBroker);
            for (int phase = 0; phase < PHASES; phase++) {
                pipeline.produce(data.phase(phase, PHASES));
                injected += injector.afterPhase(phase);
            }
            if (fault == Fault.DIVERGENCE) {
                injected = settings.poisonSamples();
            }
            long expectedTrain = 0;
            for (int s = 0; s < settings.streams(); s++) {
                expectedTrain += data.trainCount(s);
            }
            long trainTotal = expectedTrain;
            wait.await(pipeline, () -> view.train(topics).values().stream().mapToInt(List::size).sum() >= trainTotal,
                    "ingest routed all " + trainTotal + " training samples");
            steps = expectedSteps(view.train(topics));
            wait.await(pipeline, () -> reached(view.snapshotVersions(topics), steps), "the learner published version " + steps);
            wait.await(pipeline, () -> reachedMetrics(view.metricsIterations(topics), steps), "the evaluator scored version " + steps);
            pipeline.stopAll();
            notes.addAll(pipeline.notes());
            long refused = pipeline.names(ChaosPipeline.Role.LEARNER).stream()
                    .mapToLong(n -> count(pipeline.logs(n), "; trying the previous generation")).sum();
            if (refused > 0) {
                notes.add(refused + " checkpoint generation refusal(s) logged by the learner");
            }
            long restored = pipeline.names(ChaosPipeline.Role.LEARNER).stream()
                    .mapToLong(n -> count(pipeline.logs(n), "restored from checkpoint")).sum();
            if (restored > 0) {
                notes.add(restored + " stream restore(s) from the Kafka checkpoint store");
            }
            long takeovers = pipeline.names(ChaosPipeline.Role.EVALUATOR).stream()
                    .mapToLong(n -> count(pipeline.logs(n), "metrics records of other evaluators caught up")).sum();
            if (fault == Fault.SCORER_FAILOVER) {
                long scored = pipeline.names(ChaosPipeline.Role.SCORER).stream()
                        .mapToLong(n -> count(pipeline.logs(n), "Scoring the requests of partitions")).sum();
                notes.add(scored + " scorer partition assignment(s) (start, join, takeover after a kill); the evaluator ran "
                        + "with scoring=spread");
            }
            if (fault == Fault.EVALUATOR_FAILOVER) {
                notes.add(takeovers + " evaluator partition assignment(s) (start, join, takeover), each after reading the "
                        + "metrics topic up to the partition's last committed transaction");
            }
        }
        return measure(fault, topics, data, view, steps, injected, notes);
    }

    /**
     * Steps the learner takes per stream on the routed records: within a task a step per
     * {@code NEW_PER_STEP} new samples; a task's short tail is trained at the switch, the last task's stays pending.
     */
    static Map<String, Long> expectedSteps(Map<String, List<KafkaView.TrainRecord>> train) {
        Map<String, Long> out = new LinkedHashMap<>();
        train.forEach((stream, records) -> {
            List<Integer> runs = new ArrayList<>();
            String task = null;
            for (KafkaView.TrainRecord r : records) {
                if (!r.task().equals(task)) {
                    runs.add(0);
                    task = r.task();
                }
                runs.set(runs.size() - 1, runs.get(runs.size() - 1) + 1);
            }
            long steps = 0;
            int n = ChaosPipeline.NEW_PER_STEP;
            for (int i = 0; i < runs.size(); i++) {
                steps += i < runs.size() - 1 ? (runs.get(i) + n - 1) / n : runs.get(i) / n;
            }
            out.put(stream, steps);
        });
        return out;
    }

    private static boolean reached(Map<String, TreeSet<Long>> versions, Map<String, Long> steps) {
        return steps.entrySet().stream().allMatch(e -> versions.containsKey(e.getKey()) && versions.get(e.getKey()).last() >= e.getValue());
    }

    private static boolean reachedMetrics(Map<String, List<Long>> metrics, Map<String, Long> steps) {
        return steps.entrySet().stream().allMatch(e -> metrics.getOrDefault(e.getKey(), List.of()).stream()
                .mapToLong(Long::longValue).max().orElse(-1) >= e.getValue());
    }

    private FaultResult measure(Fault fault, Topics topics, ChaosData data, KafkaView view, Map<String, Long> steps, int injected,
                                List<String> notes) {
        Map<String, List<KafkaView.TrainRecord>> train = view.train(topics);
        Map<String, TreeSet<Long>> versions = view.snapshotVersions(topics);
        Map<String, List<IterationMetrics>> metricsRecords = view.metricsRecords(topics);
        Map<String, List<Long>> metrics = KafkaView.iterations(metricsRecords);
        EvaluatorServiceConfig evaluatorConfig = evaluatorConfig(topics);
        long rollbacks = view.controlEvents(topics.control(), ControlType.ROLLBACK).values().stream().mapToLong(Long::longValue).sum();
        Map<String, JsonNode> reference = reference(fault, topics, steps);

        long lost = 0;
        long twice = 0;
        long metricsLost = 0;
        long metricsDup = 0;
        long metricsOff = 0;
        int match = 0;
        LearnerServiceConfig defaults = LearnerServiceConfig.defaults(Path.of("unused"));
        try (KafkaCheckpointStore store = new KafkaCheckpointStore(topics.checkpoints(), viewClient(), defaults.checkpointGenerations(),
                defaults.checkpointChunkBytes())) {
            for (int s = 0; s < settings.streams(); s++) {
                String stream = ChaosData.streamName(s);
                List<KafkaView.TrainRecord> routed = train.getOrDefault(stream, List.of());
                Set<String> ids = new HashSet<>();
                routed.forEach(r -> ids.add(r.sampleId()));
                long produced = data.trainCount(s);
                lost += Math.max(0, produced - ids.size());
                twice += routed.size() - ids.size();

                Optional<LearnerState> state = store.latest(stream);
                if (state.isEmpty()) {
                    notes.add(stream + ": no readable checkpoint");
                    lost += routed.size();
                    continue;
                }
                JsonNode cp = CheckpointInspector.describe(stream, state.get());
                long resume = cp.get("offsets").elements().next().asLong();
                long pending = routed.stream().filter(r -> r.offset() >= resume).count();
                long accounted = cp.get("samples_trained").asLong() + pending;
                lost += Math.max(0, routed.size() - accounted);
                twice += Math.max(0, accounted - routed.size());

                TreeSet<Long> published = versions.getOrDefault(stream, new TreeSet<>());
                List<Long> scored = metrics.getOrDefault(stream, List.of());
                Set<Long> distinct = new TreeSet<>(scored);
                metricsDup += scored.size() - distinct.size();
                metricsLost += published.stream().filter(v -> !distinct.contains(v)).count();
                MetricsAudit.Result audit = MetricsAudit.audit(firstOfEachVersion(metricsRecords.getOrDefault(stream, List.of())),
                        evaluatorConfig);
                metricsOff += audit.inconsistent();
                if (audit.inconsistent() > 0) {
                    notes.add(stream + ": " + audit.inconsistent() + " of " + audit.records() + " metrics records differ from an "
                            + "uninterrupted evaluator's, first " + audit.firstInconsistency());
                }
                long gaps = published.isEmpty() ? 0 : published.last() - published.first() + 1 - published.size();
                if (gaps != 0) {
                    notes.add(stream + ": " + gaps + " snapshot versions missing on the models topic");
                    metricsLost += gaps;
                }

                JsonNode ref = reference.get(stream);
                if (ref != null && ref.get("weights_sha256").asText().equals(cp.get("weights_sha256").asText())
                        && ref.get("samples_trained").asLong() == cp.get("samples_trained").asLong()) {
                    match++;
                } else {
                    notes.add(stream + ": final weights " + cp.get("weights_sha256").asText().substring(0, 12) + " vs uninterrupted "
                            + (ref == null ? "(none)" : ref.get("weights_sha256").asText().substring(0, 12)));
                }
            }
        }
        if (fault == Fault.DIVERGENCE && rollbacks == 0) {
            notes.add("no ROLLBACK event on " + topics.control());
        }
        return new FaultResult(fault, injected, lost, twice, metricsLost, metricsDup, metricsOff, rollbacks, match, settings.streams(),
                notes);
    }

    /** The settings the scenario's evaluators ran with (the audit needs their metric windows, LCA β, …). */
    private static EvaluatorServiceConfig evaluatorConfig(Topics topics) {
        Properties p = ChaosPipeline.evaluatorProperties(topics.train().substring(0, topics.train().length() - "train".length()));
        p.put("state.dir", "unused");
        return EvaluatorServiceConfig.fromProperties(p);
    }

    /** Records in version order, each version once (duplicates are counted separately). */
    private static List<IterationMetrics> firstOfEachVersion(List<IterationMetrics> records) {
        Map<Long, IterationMetrics> byVersion = new TreeMap<>();
        records.forEach(m -> byVersion.putIfAbsent(m.getIteration(), m));
        return List.copyOf(byVersion.values());
    }

    private Properties viewClient() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        return p;
    }

    /** The same learner settings, uninterrupted, in this JVM, on the scenario's training topic: final checkpoints by stream. */
    private Map<String, JsonNode> reference(Fault fault, Topics faulted, Map<String, Long> steps) {
        String prefix = "chaos-ref-" + fault.slug() + ".";
        Topics own = createTopics(prefix, false);
        Topics topics = new Topics(own.samples(), faulted.train(), own.eval(), own.dlq(), own.control(), own.models(), own.metrics(),
                own.checkpoints(), own.requests(), own.predictions(), own.scoreRequests(), own.scores());
        Properties props = ChaosPipeline.learnerProperties(prefix, settings.seed());
        props.put("checkpoint.store", "local");
        Path dir = settings.work().resolve(fault.slug()).resolve("reference-checkpoints");
        props.put("checkpoint.dir", dir.toString());
        LearnerServiceConfig config = LearnerServiceConfig.fromProperties(props).withTopics(topics);
        MeterRegistry registry = new SimpleMeterRegistry();
        try (LearnerService service = new LearnerService(config, viewClient(), registry)) {
            service.start();
            wait.awaitPlain(() -> {
                if (service.failure().isPresent()) {
                    throw new IllegalStateException("reference learner failed: " + service.failure().get(), service.failure().get());
                }
                return steps.entrySet().stream().allMatch(e -> {
                    Counter c = registry.find("clpipe.learner.steps").tag("stream", e.getKey()).counter();
                    return c != null && c.count() >= e.getValue();
                });
            }, "the uninterrupted reference run reached " + steps);
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try {
            for (JsonNode n : JSON.readTree(CheckpointInspector.json(dir))) {
                out.put(n.get("stream").asText(), n);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the reference checkpoints", e);
        }
        return out;
    }

    private static long count(String text, String word) {
        long n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }
}
