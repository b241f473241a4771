package io.clpipe.app.demo;

import io.clpipe.broker.BrokerConfig;
import io.clpipe.broker.EmbeddedKafkaBroker;
import io.clpipe.evaluator.service.EvaluatorService;
import io.clpipe.evaluator.service.EvaluatorServiceConfig;
import io.clpipe.ingest.produce.SampleProducer;
import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.scenario.Scenario;
import io.clpipe.ingest.scenario.ScenarioPlan;
import io.clpipe.ingest.service.IngestService;
import io.clpipe.learner.service.LearnerService;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.clpipe.predictor.service.PredictorService;
import io.clpipe.predictor.service.PredictorServiceConfig;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.ValidationConfig;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.TaskMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one JVM: an embedded broker, ingest, learner and evaluator, fed by a
 * producer of the job's phases, watched through the metrics topic like a user would.
 *
 * <p>The run is over when every training sample has been trained on and the evaluator has scored
 * the learner's last snapshot, with nothing moving for a short while (the trailing partial batch is
 * trained once the stream has been idle for {@code batch.linger.ms}; with the linger off it stays pending).
 */
public final class DemoRun {

    private static final Logger log = LoggerFactory.getLogger(DemoRun.class);
    private static final Duration QUIET = Duration.ofSeconds(4);
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final AvroSerde<ControlEvent> controls = AvroSerde.controlEvent();

    private final PipelineJob job;
    private final MeterRegistry registry;

    /** A demo run of an image scenario: the MLP 784-400-400-10 with the strategy's learner settings. */
    public DemoRun(DemoSettings settings, Scenario scenario, MeterRegistry registry) {
        this(job(settings, scenario), registry);
    }

    public DemoRun(PipelineJob job, MeterRegistry registry) {
        this.job = job;
        this.registry = registry;
    }

    private static PipelineJob job(DemoSettings settings, Scenario scenario) {
        ScenarioPlan plan = scenario.plan();
        RoutingConfig routing = RoutingConfig.defaults().withEvalPerMille(0).withValidation(ValidationConfig.defaults()
                .withFeatureDim(plan.stream(), plan.featureDim()).withNumClasses(plan.numClasses()));
        int newPerStep = settings.batchSize() - (settings.strategy() == DemoStrategy.FINETUNE ? 0 : Math.round(settings.batchSize() * 0.5f));
        long stepsPerTask = plan.tasks().get(0).trainSamples() / Math.max(1, newPerStep);
        Properties learnerProps = settings.strategy().learnerSettings(settings.batchSize(), settings.lr(), stepsPerTask, settings.seed());
        learnerProps.setProperty("model.hidden", "400,400");
        learnerProps.setProperty("model.classes", Integer.toString(plan.numClasses()));
        learnerProps.setProperty("eval.period", Integer.toString(settings.evalPeriod()));
        learnerProps.setProperty("eval.dense.window", Integer.toString(settings.denseWindow()));
        Properties evalProps = new Properties();
        evalProps.setProperty("eval.set.size", Integer.toString(settings.evalPerTask()));
        return new PipelineJob(plan.stream(), routing, learnerProps, evalProps,
                List.of(new PipelineJob.Phase(scenario.samples(), plan.totalTrainSamples(), null)), plan.totalTrainSamples(), newPerStep,
                settings.outDir().resolve("state"));
    }

    /** Scoring requests the demo's client sends per second to {@code clpipe serve} while the learner trains. */
    private static final int REQUESTS_PER_SECOND = 50;

    private List<DemoClient.VersionScore> servingScores = List.of();
    private long[] servingCounts = {0, 0};

    /**
     * After {@link #run}: the served predictions' accuracy by model version, in at most {@code rows}
     * rows of consecutive versions, e.g. "v0-v41  412 requests  acc 0.31", and the totals.
     */
    public List<String> servingSummary(int rows) {
        List<String> out = new java.util.ArrayList<>();
        out.add(String.format(java.util.Locale.ROOT, "clpipe serve: %d requests sent, %d answered, by %d model versions",
                servingCounts[0], servingCounts[1], servingScores.size()));
        int per = Math.max(1, (servingScores.size() + rows - 1) / rows);
        for (int i = 0; i < servingScores.size(); i += per) {
            List<DemoClient.VersionScore> group = servingScores.subList(i, Math.min(servingScores.size(), i + per));
            long n = group.stream().mapToLong(DemoClient.VersionScore::requests).sum();
            long hits = group.stream().mapToLong(DemoClient.VersionScore::hits).sum();
            out.add(String.format(java.util.Locale.ROOT, "  versions %5d-%-5d %6d requests  accuracy %.3f", group.get(0).version(),
                    group.get(group.size() - 1).version(), n, n == 0 ? Double.NaN : (double) hits / n));
        }
        return out;
    }

    /** Runs to completion; {@code progress} gets a status line about twice a second. */
    public DemoResult run(Consumer<DemoProgress> progress) throws Exception {
        long start = System.nanoTime();
        Topics topics = Topics.defaults();
        Path work = job.workDir();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral())) {
            broker.createTopics(topics.specs().stream().map(TopicSpec::newTopic).toList());
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());

            int newPerStep = job.newPerStep();
            Properties learnerProps = new Properties();
            learnerProps.putAll(job.learner());
            learnerProps.setProperty("checkpoint.dir", work.resolve("checkpoints").toString());
            learnerProps.putIfAbsent("checkpoint.every.steps", "1000000");
            LearnerServiceConfig learnerConfig = LearnerServiceConfig.fromProperties(learnerProps);
            boolean lingers = learnerConfig.batchLingerMs() >= 0;
            Properties evalProps = new Properties();
            evalProps.putAll(job.evaluator());
            evalProps.setProperty("state.dir", work.resolve("evaluator").toString());
            EvaluatorServiceConfig evalConfig = EvaluatorServiceConfig.fromProperties(evalProps);

            Properties ingestClient = new Properties();
            ingestClient.putAll(client);
            ingestClient.put("state.dir", work.resolve("streams").toString());
            try (IngestService ingest = new IngestService(topics, job.routing(), ingestClient, registry);
                 LearnerService learner = new LearnerService(learnerConfig, client, registry);
                 EvaluatorService evaluator = new EvaluatorService(evalConfig, client, registry);
                 MetricsTail tail = new MetricsTail(broker.bootstrapServers(), topics.metrics(), job.stream());
                 PredictorService predictor = new PredictorService(PredictorServiceConfig.defaults(topics), client, registry);
                 DemoClient served = new DemoClient(broker.bootstrapServers(), topics, job.stream(), REQUESTS_PER_SECOND)) {
                predictor.start();
                ingest.start();
                evaluator.start();
                learner.start();
                if (!ingest.awaitReady(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("ingest did not start within 60 s");
                }
                AtomicReference<Exception> produceFailure = new AtomicReference<>();
                RunMeters meters = new RunMeters(registry, job.stream());
                Thread producerThread = new Thread(() -> produce(broker.bootstrapServers(), topics, meters, produceFailure),
                        "clpipe-demo-producer");
                producerThread.setDaemon(true); // a phase waiting for the learner must not outlive a failed run
                producerThread.start();

                long trainTotal = job.trainUnits();
                long quietSince = System.nanoTime();
                String lastState = "";
                while (true) {
                    Thread.sleep(500);
                    if (produceFailure.get() != null) {
                        throw new IllegalStateException("producing the scenario failed: " + produceFailure.get().getMessage(), produceFailure.get());
                    }
                    learner.failure().ifPresent(e -> {
                        throw new IllegalStateException("the learner failed: " + e.getMessage(), e);
                    });
                    evaluator.failure().ifPresent(e -> {
                        throw new IllegalStateException("the evaluator failed: " + e.getMessage(), e);
                    });
                    tail.checkHealthy();
                    IterationMetrics latest = tail.latest();
                    predictor.failure().ifPresent(e -> {
                        throw new IllegalStateException("the predictor failed: " + e.getMessage(), e);
                    });
                    progress.accept(new DemoProgress((long) meters.learnerSamples(), trainTotal,
                            statusLine(meters, latest) + " | " + served.status()));
                    String state = (long) meters.learnerSamples() + "/" + (long) meters.learnerIteration() + "/"
                            + (long) meters.snapshots() + "/" + (latest == null ? -1 : latest.getIteration()) + "/" + tail.records().size();
                    if (!state.equals(lastState)) {
                        lastState = state;
                        quietSince = System.nanoTime();
                    }
                    // the trailing partial batch is trained once the stream has been idle for batch.linger.ms
                    boolean allTrained = lingers ? meters.learnerSamples() >= trainTotal
                            : meters.learnerSamples() >= trainTotal - newPerStep + 1;
                    boolean allEvaluated = latest != null && meters.evaluations() >= meters.snapshots()
                            && meters.evaluatorSnapshotsBehind() == 0;
                    if (!producerThread.isAlive() && allTrained && allEvaluated && System.nanoTime() - quietSince > QUIET.toNanos()) {
                        break;
                    }
                    if (System.nanoTime() - start > TIMEOUT.toNanos()) {
                        throw new IllegalStateException("the demo did not finish within " + TIMEOUT.toMinutes() + " minutes (" + state + ")");
                    }
                }
                producerThread.join();
                servingScores = served.scores();
                servingCounts = new long[] {served.sent(), served.answered()};
                SortedMap<Long, Double> lr = new TreeMap<>();
                SortedMap<Long, Double> loss = new TreeMap<>();
                for (IterationMetrics m : tail.records()) {
                    Map<String, Double> aggregates = m.getAggregates();
                    putIfPresent(lr, m.getIteration(), aggregates.get("learning_rate"));
                    putIfPresent(loss, m.getIteration(), aggregates.get("train_loss"));
                }
                return new DemoResult(tail.lines(), tail.records(), lr, loss, (long) meters.learnerSamples(),
                        (long) meters.learnerIteration(), (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private static void putIfPresent(SortedMap<Long, Double> series, long iteration, Double value) {
        if (value != null && Double.isFinite(value)) {
            series.put(iteration, value);
        }
    }

    private void produce(String bootstrap, Topics topics, RunMeters meters, AtomicReference<Exception> failure) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            long produced = 0;
            for (PipelineJob.Phase phase : job.phases()) {
                if (phase.first() != null) {
                    awaitTrained(meters, produced);
                    log.info("Learner trained {} units; sending {} to {}", produced, phase.first().getType(), topics.control());
                    producer.send(new ProducerRecord<>(topics.control(), job.stream(), controls.serialize(phase.first()))).get();
                }
                // JSON, exactly as a user would write it to the samples topic.
                new SampleProducer(producer, topics.samples(), SampleJson::write).produce(phase.samples(), (s, a, t) -> { });
                produced += phase.trainUnits();
            }
        } catch (Exception e) {
            log.error("Producing the scenario failed: {}", e.toString(), e);
            failure.set(e);
        }
    }

    /** Until the learner has trained {@code units} (all but a trailing partial batch). */
    private void awaitTrained(RunMeters meters, long units) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (meters.learnerSamples() < units - job.newPerStep() + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the learner did not train " + units + " units within " + TIMEOUT.toMinutes() + " minutes");
            }
            Thread.sleep(100);
        }
    }

    private static String statusLine(RunMeters meters, IterationMetrics latest) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "it %d  lr %.4f  loss %.3f",
                (long) Math.max(0, nanToZero(meters.learnerIteration())),
                nanToZero(meters.learningRate()), nanToZero(meters.trainingLoss())));
        if (latest != null) {
            s.append(String.format(Locale.ROOT, "  | eval it %d task %s:", latest.getIteration(), latest.getTask()));
            for (Map.Entry<String, TaskMetrics> e : new TreeMap<>(latest.getTasks()).entrySet()) {
                Double score = e.getValue().getAccuracy() != null ? e.getValue().getAccuracy() : e.getValue().getLoss();
                s.append(' ').append(e.getKey()).append('=').append(score == null ? "-" : String.format(Locale.ROOT, "%.2f", score));
            }
        }
        return s.toString();
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
