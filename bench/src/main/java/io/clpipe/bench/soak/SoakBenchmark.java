package io.clpipe.bench.soak;

import io.clpipe.broker.BrokerConfig;
import io.clpipe.broker.EmbeddedKafkaBroker;
import io.clpipe.datasets.LabeledImages;
import io.clpipe.datasets.Mnist;
import io.clpipe.harness.PromText;
import io.clpipe.harness.ServiceJvm;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code clpipe bench soak}: streams a recurring Split-MNIST sequence through a real broker to the
 * learner and the evaluator, each in its own JVM started with the real {@code clpipe} command, and
 * reads both services' heap (after a forced GC) and resident set over time, with the replay-buffer
 * and eval-set sizes they report. Ingest is left out: it is a Kafka Streams app without state stores,
 * and the train/eval topics are written directly as ingest writes them (Avro, keyed by stream).
 */
public final class SoakBenchmark {

    static final String STREAM = "digits";
    private static final int TASKS = 5;

    private final SoakConfig config;

    public SoakBenchmark(SoakConfig config) {
        this.config = config;
    }

    public SoakResult run(PrintStream out) {
        Mnist mnist = Mnist.load();
        Path dir;
        try {
            dir = Files.createTempDirectory("clpipe-soak-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.printf(Locale.ROOT, "Soak: %,d training samples (+1 eval per %d), Split-MNIST tasks of %,d recurring; MLP 784-%s-10, batch %d,"
                        + " class-balanced replay %d, snapshot every %d steps, eval sets %d per task; service JVMs -Xmx%s; work dir %s%n",
                config.samples(), config.evalEvery(), config.samplesPerTask(), config.hidden(), config.batchSize(),
                config.replayCapacity(), config.evalPeriod(), config.evalSetSize(), config.serviceHeap(), dir);
        Topics topics = Topics.defaults();
        // Retention checks every 10 s so the bounded train topic really stays bounded on disk.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral()
                .withOverrides(Map.of("log.retention.check.interval.ms", "10000")))) {
            broker.createTopics(topicsFor(topics));
            String bootstrap = broker.bootstrapServers();
            try (ServiceJvm learner = start("learner", dir, learnerArgs(bootstrap, dir));
                 ServiceJvm evaluator = start("evaluator", dir, evaluatorArgs(bootstrap, dir))) {
                out.printf(Locale.ROOT, "learner pid %d (log %s), evaluator pid %d (log %s)%n", learner.pid(), learner.log(),
                        evaluator.pid(), evaluator.log());
                SoakResult result = new Run(out, learner, evaluator).stream(mnist, bootstrap, topics);
                learner.close();
                evaluator.close();
                // Keep the services' logs; drop the checkpoints and evaluator state (megabytes per run).
                deleteTree(dir.resolve("learner-checkpoints"));
                deleteTree(dir.resolve("evaluator-state"));
                return result;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a service JVM: " + e.getMessage(), e);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private List<NewTopic> topicsFor(Topics topics) {
        List<NewTopic> out = new ArrayList<>();
        for (TopicSpec spec : topics.specs()) {
            NewTopic topic = spec.newTopic();
            if (spec.name().equals(topics.train())) {
                Map<String, String> configs = new HashMap<>(spec.configs());
                configs.put(TopicConfig.RETENTION_BYTES_CONFIG, Long.toString(512L << 20));
                configs.put(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(64 << 20));
                topic = new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty()).configs(configs);
            }
            out.add(topic);
        }
        return out;
    }

    private List<String> learnerArgs(String bootstrap, Path dir) {
        return List.of("--bootstrap-servers", bootstrap,
                "--set", "checkpoint.dir=" + dir.resolve("learner-checkpoints"),
                "--set", "model.hidden=" + config.hidden(),
                "--set", "batch.size=" + config.batchSize(),
                "--set", "lr=0.05",
                "--set", "replay.policy=class-balanced",
                "--set", "replay.capacity=" + config.replayCapacity(),
                "--set", "eval.period=" + config.evalPeriod(),
                "--set", "eval.dense.window=10");
    }

    private List<String> evaluatorArgs(String bootstrap, Path dir) {
        return List.of("--bootstrap-servers", bootstrap,
                "--set", "state.dir=" + dir.resolve("evaluator-state"),
                "--set", "eval.set.size=" + config.evalSetSize());
    }

    static String taskName(int task) {
        return (2 * task) + "-" + (2 * task + 1);
    }

    /** Indices of the images whose label belongs to each task (labels 2t and 2t+1). */
    private static List<int[]> byTask(LabeledImages images) {
        List<int[]> out = new ArrayList<>();
        for (int t = 0; t < TASKS; t++) {
            int task = t;
            out.add(java.util.stream.IntStream.range(0, images.count()).filter(i -> images.labels()[i] / 2 == task).toArray());
        }
        return out;
    }

    /** One run: producing with back-pressure, reading both services at a fixed interval and every tenth of the samples. */
    private final class Run {
        private final PrintStream out;
        private final ServiceJvm learner;
        private final ServiceJvm evaluator;
        private final List<SoakReading> readings = new ArrayList<>();
        private final long started = System.nanoTime();
        private long lastReading = started;
        private long trained;
        private long produced;

        Run(PrintStream out, ServiceJvm learner, ServiceJvm evaluator) {
            this.out = out;
            this.learner = learner;
            this.evaluator = evaluator;
        }

        SoakResult stream(Mnist mnist, String bootstrap, Topics topics) {
            List<int[]> train = byTask(mnist.train());
            List<int[]> test = byTask(mnist.test());
            int[] trainCursor = new int[TASKS];
            int[] testCursor = new int[TASKS];
            AvroSerde<Sample> serde = AvroSerde.sample();
            learner.awaitMetrics(java.time.Duration.ofMinutes(3));
            evaluator.awaitMetrics(java.time.Duration.ofMinutes(3));
            out.printf(Locale.ROOT, "%8s %10s %10s | %-28s | %-28s | %7s %s%n", "seconds", "produced", "trained",
                    "learner heap/RSS MB, iter", "evaluator heap/RSS MB, iter", "replay", "eval set per task");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(bootstrap))) {
                while (produced < config.samples()) {
                    int task = (int) ((produced / config.samplesPerTask()) % TASKS);
                    int[] pool = train.get(task);
                    int i = pool[trainCursor[task]++ % pool.length];
                    producer.send(new ProducerRecord<>(topics.train(), STREAM, serde.serialize(sample(mnist.train(), i, task,
                            "train:" + produced, null))));
                    if (produced % config.evalEvery() == 0) {
                        int[] evalPool = test.get(task);
                        int j = evalPool[testCursor[task]++ % evalPool.length];
                        producer.send(new ProducerRecord<>(topics.eval(), STREAM, serde.serialize(sample(mnist.test(), j, task,
                                "eval:" + produced, Split.EVAL))));
                    }
                    produced++;
                    if (produced % 1000 == 0) {
                        paceAndRead(producer);
                    }
                }
                producer.flush();
            }
            // Drain: the learner trains all but a last partial batch; the evaluator catches up with its snapshots.
            long deadline = System.nanoTime() + java.time.Duration.ofMinutes(10).toNanos();
            while (System.nanoTime() < deadline) {
                SoakReading r = read();
                if (r.trained() >= config.samples() - config.batchSize() && r.evaluatedIteration() >= 0
                        && r.learnerIteration() - r.evaluatedIteration() <= config.evalPeriod()) {
                    break;
                }
                sleep(2000);
            }
            readings.add(read());
            print(readings.get(readings.size() - 1));
            SoakResult result = new SoakResult(config, readings);
            verdict(result);
            return result;
        }

        private Sample sample(LabeledImages images, int i, int task, String id, Split split) {
            return Sample.newBuilder().setStream(STREAM).setTask(taskName(task)).setFeatures(Features.of(images.image(i)))
                    .setLabel(images.labels()[i]).setSplit(split).setSampleId(id).build();
        }

        /**
         * A reading every {@code sampleEvery} and at every tenth of the samples produced: the latter keeps the readings at
         * 25% and 100% of the run (the verdict's) apart however fast the machine streams.
         */
        private void paceAndRead(KafkaProducer<String, byte[]> producer) {
            long tenth = Math.max(1000, config.samples() / 10 / 1000 * 1000);
            if (produced % tenth == 0 || System.nanoTime() - lastReading >= config.sampleEvery().toNanos()) {
                SoakReading r = read();
                readings.add(r);
                print(r);
                lastReading = System.nanoTime();
            }
            while (produced - trained > config.maxAhead()) {
                producer.flush();
                sleep(250);
                learner.requireAlive();
                evaluator.requireAlive();
                learner.scrape().flatMap(p -> asLong(p.sum("clpipe_learner_samples_total", null, null)))
                        .ifPresent(v -> trained = v);
            }
        }

        private SoakReading read() {
            learner.requireAlive();
            evaluator.requireAlive();
            Optional<PromText> l = afterGc(learner);
            Optional<PromText> e = afterGc(evaluator);
            trained = l.flatMap(p -> asLong(p.sum("clpipe_learner_samples_total", null, null))).orElse(trained);
            Map<String, Long> sets = new TreeMap<>();
            e.ifPresent(p -> p.byLabel("clpipe_eval_set_size", "task").forEach((k, v) -> sets.put(k, v.longValue())));
            return new SoakReading((System.nanoTime() - started) / 1e9, produced, trained,
                    l.map(SoakBenchmark::heapAfterGc).orElse(-1L),
                    learner.rssBytes().orElse(-1),
                    e.map(SoakBenchmark::heapAfterGc).orElse(-1L),
                    evaluator.rssBytes().orElse(-1),
                    l.flatMap(p -> asLong(p.sum("clpipe_learner_replay_size", null, null))).orElse(-1L),
                    l.flatMap(p -> asLong(p.sum("clpipe_learner_iteration", null, null))).orElse(-1L),
                    e.flatMap(p -> asLong(p.sum("clpipe_eval_iteration", null, null))).orElse(-1L),
                    sets);
        }

        private void print(SoakReading r) {
            out.printf(Locale.ROOT, "%8.0f %,10d %,10d | %6s / %6s, %8d | %6s / %6s, %8d | %7d %s%n", r.seconds(), r.produced(),
                    r.trained(), mb(r.learnerHeap()), mb(r.learnerRss()), r.learnerIteration(), mb(r.evaluatorHeap()),
                    mb(r.evaluatorRss()), r.evaluatedIteration(), r.replaySize(), r.evalSetSizes());
        }

        private void verdict(SoakResult result) {
            SoakReading q = result.at(0.25);
            SoakReading end = result.last();
            out.println();
            out.printf(Locale.ROOT, "%-10s %-5s %12s %12s %10s %22s%n", "service", "", "at 25%", "at 100%", "change",
                    "slope from 25% on");
            row("learner", "heap", q.learnerHeap(), end.learnerHeap(), result.slopePer100k(SoakReading::learnerHeap));
            row("learner", "RSS", q.learnerRss(), end.learnerRss(), result.slopePer100k(SoakReading::learnerRss));
            row("evaluator", "heap", q.evaluatorHeap(), end.evaluatorHeap(), result.slopePer100k(SoakReading::evaluatorHeap));
            row("evaluator", "RSS", q.evaluatorRss(), end.evaluatorRss(), result.slopePer100k(SoakReading::evaluatorRss));
            boolean flat = flat(q.learnerHeap(), end.learnerHeap(), 16) && flat(q.evaluatorHeap(), end.evaluatorHeap(), 16)
                    && flat(q.learnerRss(), end.learnerRss(), 64) && flat(q.evaluatorRss(), end.evaluatorRss(), 64);
            out.printf(Locale.ROOT, "verdict: %s (flat = heap after GC within 10%% or 16 MB, RSS within 10%% or 64 MB, from 25%% to"
                    + " 100%% of the run); replay buffer %d (cap %d), eval sets %s (cap %d)%n", flat ? "FLAT" : "GROWING",
                    end.replaySize(), config.replayCapacity(), end.evalSetSizes(), config.evalSetSize());
        }

        private void row(String service, String what, long at25, long at100, double slope) {
            out.printf(Locale.ROOT, "%-10s %-5s %9s MB %9s MB %+7.1f MB %+14.2f MB/100k samples%n", service, what, mb(at25),
                    mb(at100), (at100 - at25) / 1048576.0, slope / 1048576.0);
        }

        private static boolean flat(long at25, long at100, long slackMb) {
            return at25 >= 0 && at100 >= 0 && at100 - at25 <= Math.max(slackMb << 20, at25 / 10);
        }

        private static String mb(long bytes) {
            return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
        }

        private static Optional<Long> asLong(java.util.OptionalDouble d) {
            return d.isPresent() ? Optional.of((long) d.getAsDouble()) : Optional.empty();
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** A full collection, then the metrics right away. */
    private ServiceJvm start(String service, Path dir, List<String> args) {
        return ServiceJvm.launch(service, service, args).in(dir).heap(config.serviceHeap()).classpath(config.classpath())
                .metricsEndpoint().start();
    }

    private static Optional<PromText> afterGc(ServiceJvm jvm) {
        jvm.forceGc();
        return jvm.scrape();
    }

    /**
     * The live heap: Micrometer's {@code jvm.gc.live.data.size} (old generation after the last major
     * collection, here the forced one), which allocation after the GC does not blur; the heap in use at
     * the scrape when no major collection was seen.
     */
    private static long heapAfterGc(PromText p) {
        double live = p.sum("jvm_gc_live_data_size_bytes", null, null).orElse(0);
        return live > 0 ? (long) live : (long) p.sum("jvm_memory_used_bytes", "area", "heap").orElse(-1);
    }

    private static Properties producerProperties(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }
}
