package io.clpipe.bench.spread;

import io.clpipe.harness.ServiceJvm;
import io.clpipe.broker.BrokerConfig;
import io.clpipe.broker.EmbeddedKafkaBroker;
import io.clpipe.evaluator.service.EvaluatorService;
import io.clpipe.evaluator.service.EvaluatorServiceConfig;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpecCodec;
import io.clpipe.models.Models;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code clpipe bench spread}: evaluations/s of ONE stream with the learner idle. The models topic is
 * filled first with {@code versions} snapshots of a 784-400-400-10 MLP (478k parameters) and the eval
 * topic with 5 tasks × 1000 samples; then either the evaluator scores them itself ({@code scorers = 0},
 * the default mode) or the evaluator in {@code scoring=spread} asks N scorers, each in its own JVM
 * ({@code clpipe scorer}), and publishes. The rate is read from the published records' evaluation
 * times, over the versions after the first fifth (JIT and group joins excluded).
 */
public final class SpreadBenchmark {

    static final String STREAM = "digits";
    static final String SPEC = "mlp in=784 hidden=400,400 classes=10 batch=128";
    static final int TASKS = 5;
    static final int EVAL_SET = 1000;
    private static final Duration LIMIT = Duration.ofMinutes(30);

    /** One measured arm. */
    public record Row(int scorers, int versions, double seconds, double evaluationsPerSecond, String loadAverage) {
    }

    private final int versions;
    private final String classpath;

    public SpreadBenchmark(int versions, String classpath) {
        if (versions < 10) {
            throw new IllegalArgumentException("--versions must be >= 10, got " + versions);
        }
        this.versions = versions;
        this.classpath = classpath;
    }

    public List<Row> run(List<Integer> scorerCounts, PrintStream out) {
        Path dir = tempDir();
        out.printf(Locale.ROOT, "clpipe bench spread: one stream, %d snapshot versions of %s pre-filled (learner idle), %d tasks x %d"
                        + " eval samples; %d cores; OPENBLAS_NUM_THREADS=%s OMP_NUM_THREADS=%s OPENBLAS_CORETYPE=%s; load average %s%n",
                versions, SPEC, TASKS, EVAL_SET, Runtime.getRuntime().availableProcessors(), env("OPENBLAS_NUM_THREADS"),
                env("OMP_NUM_THREADS"), env("OPENBLAS_CORETYPE"), loadAverage());
        List<Row> rows = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral()); Admin admin = broker.admin()) {
            for (int arm = 0; arm < scorerCounts.size(); arm++) {
                int n = scorerCounts.get(arm);
                String prefix = "spread-" + arm + "-" + n + ".";
                Topics topics = Topics.withPrefix(prefix);
                broker.createTopics(topics.specs().stream().map(TopicSpec::newTopic).toList());
                fill(broker.bootstrapServers(), topics);
                Row row = arm(broker.bootstrapServers(), prefix, n, dir.resolve("arm-" + arm));
                rows.add(row);
                out.printf(Locale.ROOT, "%s: %d versions, %.1f evaluations/s (steady, after the first fifth), %.1f s; load average %s%n",
                        n == 0 ? "evaluator scoring itself (scoring=local)" : n + " scorer JVM(s) + evaluator (scoring=spread)",
                        row.versions(), row.evaluationsPerSecond(), row.seconds(), row.loadAverage());
                admin.deleteTopics(topics.all()).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        out.println("summary: " + rows.stream().map(r -> (r.scorers() == 0 ? "local" : r.scorers() + " scorers") + " "
                + String.format(Locale.ROOT, "%.1f/s", r.evaluationsPerSecond())).toList());
        return rows;
    }

    private Row arm(String bootstrap, String prefix, int scorers, Path dir) throws InterruptedException {
        Topics topics = Topics.withPrefix(prefix);
        List<ServiceJvm> jvms = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < scorers; i++) {
                jvms.add(ServiceJvm.launch("scorer-" + i, "scorer", List.of("--bootstrap-servers", bootstrap,
                        "--set", "topics.prefix=" + prefix, "--set", "transactional.id=bench-scorer-" + i))
                        .in(dir).heap("1g").classpath(classpath).metricsEndpoint().start());
            }
            for (ServiceJvm jvm : jvms) {
                awaitReady(jvm);
            }
            EvaluatorServiceConfig config = EvaluatorServiceConfig.builder(dir.resolve("evaluator-state")).topics(topics)
                    .groupId("bench-evaluator").spreadScoring(scorers > 0).maxSnapshotsPerTransaction(Math.max(32, 8 * scorers))
                    .pollTimeout(Duration.ofMillis(100)).build();
            Properties client = new Properties();
            client.put("bootstrap.servers", bootstrap);
            long start = System.nanoTime();
            try (EvaluatorService evaluator = new EvaluatorService(config, client, new SimpleMeterRegistry())) {
                evaluator.start();
                List<Long> times = awaitMetrics(bootstrap, topics, evaluator, jvms);
                double seconds = (System.nanoTime() - start) / 1e9;
                int from = versions / 5;
                double steady = (times.size() - 1 - from) / ((times.get(times.size() - 1) - times.get(from)) / 1000.0);
                return new Row(scorers, versions, seconds, steady, loadAverage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            jvms.forEach(ServiceJvm::close);
        }
    }

    private static void awaitReady(ServiceJvm jvm) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!jvm.ready()) {
            jvm.requireAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(jvm.name() + " not ready within 3 minutes; log " + jvm.log());
            }
            Thread.sleep(200);
        }
    }

    /** Evaluation times (ms) of the published records, in version order, once every version is published. */
    private List<Long> awaitMetrics(String bootstrap, Topics topics, EvaluatorService evaluator, List<ServiceJvm> jvms)
            throws InterruptedException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Long> times = new ArrayList<>();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topics.metrics(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            while (times.size() < versions) {
                if (evaluator.failure().isPresent()) {
                    throw new IllegalStateException("evaluator failed", evaluator.failure().get());
                }
                jvms.forEach(ServiceJvm::requireAlive);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + times.size() + " of " + versions + " versions within " + LIMIT);
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    times.add(MetricsJson.parse(r.value()).getTimestamp());
                }
            }
        }
        return times;
    }

    /** The eval sets and the snapshots, as ingest and an idle learner would have left them. */
    private void fill(String bootstrap, Topics topics) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.putAll(topics.spec(topics.models()).producerConfigs());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        Random random = new Random(42);
        List<String> tasks = IntStream.range(0, TASKS).mapToObj(t -> "t" + t).toList();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
             Model model = Models.create(ModelSpecCodec.decode(SPEC), 0)) {
            AvroSerde<Sample> samples = AvroSerde.sample();
            for (int t = 0; t < TASKS; t++) {
                for (int i = 0; i < EVAL_SET; i++) {
                    float[] x = new float[784];
                    for (int j = 0; j < x.length; j++) {
                        x[j] = random.nextFloat();
                    }
                    int label = 2 * t + (i % 2);
                    producer.send(new ProducerRecord<>(topics.eval(), STREAM, samples.serialize(Sample.newBuilder().setStream(STREAM)
                            .setTask(tasks.get(t)).setFeatures(Features.of(x)).setLabel(label).setSampleId(t + "/" + i).build())));
                }
            }
            float[] parameters = new float[(int) model.parameterCount()];
            AvroSerde<ModelSnapshot> snapshots = AvroSerde.modelSnapshot();
            for (int v = 0; v < versions; v++) {
                for (int k = 0; k < parameters.length; k++) {
                    parameters[k] = (float) (random.nextGaussian() * 0.05);
                }
                ModelSnapshot s = ParameterBytes.setParameters(ModelSnapshot.newBuilder(), parameters).setStream(STREAM).setVersion(v)
                        .setTask(tasks.get(v * TASKS / versions)).setSeenTasks(new ArrayList<>(tasks)).setLearningRate(0.01)
                        .setLoss(1.0).setModelSpec(SPEC).setTimestamp(v).build();
                producer.send(new ProducerRecord<>(topics.models(), STREAM, snapshots.serialize(s)));
            }
            producer.flush();
        }
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? "unset" : v;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("clpipe-bench-spread");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
