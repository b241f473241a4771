package io.clpipe.bench.e2e;

import io.clpipe.harness.PromText;
import io.clpipe.harness.ServiceJvm;
import io.clpipe.broker.BrokerConfig;
import io.clpipe.broker.EmbeddedKafkaBroker;
import io.clpipe.datasets.LabeledImages;
import io.clpipe.datasets.Mnist;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.Sample;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code clpipe bench e2e}: the user's whole path on one embedded broker. A plain {@link KafkaProducer}
 * (acks=all, linger 10 ms, 256 KiB batches, lz4: what a tuned client sends) writes MNIST samples as JSON
 * (or Avro), encoded beforehand, to the samples topic as fast as it can; ingest, the learner and the
 * evaluator each run in their own JVM ({@link ServiceJvm}, the real {@code clpipe} command). Their
 * Prometheus counters, read every {@value #POLL_MS} ms, time ingest (first record routed → last), the learner
 * (first sample trained → last full batch) and the whole path (first record produced → last full batch
 * trained). Then, in the same run, a fresh learner JVM (own consumer group and checkpoints) drains the
 * train topic ingest filled, alone: the learner service's own rate, which the e2e rate is compared with.
 */
public final class E2eBenchmark {

    static final String STREAM = "digits";
    static final String WARMUP_STREAM = "warm-up";
    private static final int WARMUP = 5_000;
    private static final long POLL_MS = 250;
    private static final Duration START_LIMIT = Duration.ofMinutes(3);
    private static final Duration RUN_LIMIT = Duration.ofMinutes(20);

    private final E2eConfig config;

    public E2eBenchmark(E2eConfig config) {
        this.config = config;
    }

    public E2eResult run(PrintStream out) {
        LabeledImages images = Mnist.load().train();
        Path dir = tempDir();
        out.printf(Locale.ROOT, "clpipe bench e2e: %,d MNIST training images as %s → ingest → learner (MLP 784-256-256-10, batch %d,"
                        + " class-balanced replay, snapshots every 50) → evaluator, each service in its own JVM, one embedded broker;"
                        + " %d cores; ingest --kafka-config %s; load average %s; work dir %s%n", config.samples(), config.format(),
                config.batchSize(), Runtime.getRuntime().availableProcessors(),
                config.ingestKafkaConfig() == null ? "none" : config.ingestKafkaConfig(), loadAverage(), dir);
        Topics topics = Topics.defaults();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral())) {
            broker.createTopics(topics.specs().stream().map(TopicSpec::newTopic).toList());
            String bootstrap = broker.bootstrapServers();
            Pipeline pipeline = pipeline(out, bootstrap, images, topics, dir);
            out.printf(Locale.ROOT, "learner alone: a new learner JVM (own consumer group, empty checkpoints) drains what ingest wrote"
                            + " to %s (%,d warm-up samples, then timed: %,d); load average %s%n", topics.train(), pipeline.warmupTrain(),
                    pipeline.trainRouted(), loadAverage());
            Rate alone = learnerAlone(bootstrap, dir, pipeline.warmupTrain(), pipeline.trainTarget());
            E2eResult result = new E2eResult(config, pipeline.ingest(), pipeline.learner(), pipeline.e2e(), alone,
                    pipeline.evaluatorIterationLag(), pipeline.evaluatorRecordLag(), pipeline.produceSeconds());
            result.print(out);
            out.println("load average at end: " + loadAverage());
            out.println(result.summaryLine());
            deleteTree(dir); // kept when the run failed: the services' logs are there
            return result;
        }
    }

    /** What the first phase measured; the rates are per second of wall time. */
    private record Pipeline(Rate ingest, Rate learner, Rate e2e, long warmupTrain, long trainRouted, long trainTarget,
                            long evaluatorIterationLag, long evaluatorRecordLag, double produceSeconds) {
    }

    private Pipeline pipeline(PrintStream out, String bootstrap, LabeledImages images, Topics topics, Path dir) {
        List<String> ingestArgs = new java.util.ArrayList<>(List.of("--bootstrap-servers", bootstrap,
                "--set", "state.dir=" + dir.resolve("ingest-state")));
        if (config.ingestKafkaConfig() != null) {
            ingestArgs.addAll(List.of("--kafka-config", config.ingestKafkaConfig().toString()));
        }
        try (ServiceJvm ingest = start("ingest", "ingest", dir, "1g", ingestArgs);
             ServiceJvm learner = start("learner", "learner", dir, "2g", learnerArgs(bootstrap, dir, "learner", "clpipe-learner"));
             ServiceJvm evaluator = start("evaluator", "evaluator", dir, "1g", List.of("--bootstrap-servers", bootstrap,
                     "--set", "state.dir=" + dir.resolve("evaluator-state")))) {
            Services services = new Services(ingest, learner, evaluator);
            awaitReady(List.of(ingest, learner, evaluator));
            out.printf(Locale.ROOT, "ingest pid %d, learner pid %d, evaluator pid %d ready (logs in %s)%n", ingest.pid(), learner.pid(),
                    evaluator.pid(), dir);
            // Services run for days in production: warm their JITs (and the broker's) on another stream first, untimed.
            int warmup = Math.min(WARMUP, config.samples()); // a short run gets a short warm-up
            out.printf(Locale.ROOT, "warm-up: %,d samples on stream \"%s\", untimed, until all are trained%n", warmup, WARMUP_STREAM);
            produce(bootstrap, topics.samples(), WARMUP_STREAM, encode(images, WARMUP_STREAM, warmup));
            Counts base = services.awaitAll(warmup, "warm-up");
            List<byte[]> values = encode(images, STREAM, config.samples());
            out.printf(Locale.ROOT, "producing %,d samples on stream \"%s\" (%,.0f B each, encoded beforehand); load average %s%n",
                    config.samples(), STREAM, values.stream().mapToInt(v -> v.length).average().orElse(0), loadAverage());
            long t0 = System.nanoTime();
            CompletableFuture<Double> produced = CompletableFuture.supplyAsync(() -> produce(bootstrap, topics.samples(), STREAM, values));
            Watch routed = new Watch(t0);
            Watch trained = new Watch(t0);
            long trainRouted = -1;
            long target = Long.MAX_VALUE;
            long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
            long lastPrint = 0;
            while (!trained.reached(target)) {
                sleep(POLL_MS);
                Counts now = services.read(base);
                routed.observe(now.nanos(), now.routed());
                trained.observe(now.nanos(), now.trained());
                if (trainRouted < 0 && now.routed() >= config.samples()) {
                    trainRouted = now.train();
                    target = trainRouted - trainRouted % config.batchSize();
                }
                if (now.nanos() - lastPrint > 2_000_000_000L) {
                    lastPrint = now.nanos();
                    out.printf(Locale.ROOT, "%6.1f s  produced %s  routed %,d  trained %,d  evaluated iteration %d%n",
                            (now.nanos() - t0) / 1e9, produced.isDone() ? "all" : "…", now.routed(), now.trained(),
                            iteration(evaluator, "clpipe_eval_iteration"));
                }
                if (now.nanos() > deadline) {
                    throw new IllegalStateException("the pipeline trained " + now.trained() + " of " + target + " samples in "
                            + RUN_LIMIT.toMinutes() + " min; logs in " + dir);
                }
            }
            long learnerIteration = iteration(learner, "clpipe_learner_iteration");
            long evalIteration = iteration(evaluator, "clpipe_eval_iteration");
            long recordLag = evaluator.scrape().map(p -> (long) p.sum("clpipe_kafka_consumer_lag", null, null).orElse(-1)).orElse(-1L);
            out.printf(Locale.ROOT, "%6.1f s  all %,d full batches' samples trained (learner iteration %d; evaluator at iteration %d,"
                    + " its consumers %d records behind)%n", trained.seconds(target), target, learnerIteration, evalIteration, recordLag);
            return new Pipeline(routed.rate(config.samples()), trained.rate(target), trained.sinceStart(target), base.train(),
                    trainRouted, target,
                    learnerIteration - evalIteration, recordLag, produced.join());
        }
    }

    /** Counters of the pipeline's services, less a baseline (the warm-up's). */
    private record Counts(long nanos, long routed, long train, long trained) {
    }

    private record Services(ServiceJvm ingest, ServiceJvm learner, ServiceJvm evaluator) {

        Counts read(Counts base) {
            List.of(ingest, learner, evaluator).forEach(ServiceJvm::requireAlive);
            long now = System.nanoTime();
            PromText i = ingest.scrape().orElse(null);
            PromText l = learner.scrape().orElse(null);
            long routed = i == null ? 0 : (long) (count(i, "clpipe_ingest_records_total") + count(i, "clpipe_ingest_rejected_total"));
            long train = i == null ? 0 : (long) i.sum("clpipe_ingest_records_total", "outcome", "train").orElse(0);
            long trained = l == null ? 0 : (long) count(l, "clpipe_learner_samples_total");
            return base == null ? new Counts(now, routed, train, trained)
                    : new Counts(now, routed - base.routed(), train - base.train(), trained - base.trained());
        }

        /** Waits until all {@code produced} are routed and every training sample is trained (the partial batch after its linger). */
        Counts awaitAll(long produced, String phase) {
            long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
            while (true) {
                Counts c = read(null);
                if (c.routed() >= produced && c.trained() >= c.train()) {
                    return c;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(phase + ": routed " + c.routed() + " of " + produced + ", trained " + c.trained()
                            + " of " + c.train() + " in " + RUN_LIMIT.toMinutes() + " min");
                }
                sleep(POLL_MS);
            }
        }
    }

    /** Timed from the moment it has trained as many samples as the warm-up had (its own warm-up) to the last full batch. */
    private Rate learnerAlone(String bootstrap, Path dir, long warmupTrain, long target) {
        long end = warmupTrain - warmupTrain % config.batchSize() + target;
        try (ServiceJvm alone = start("learner-alone", "learner", dir, "2g",
                learnerArgs(bootstrap, dir, "learner-alone", "clpipe-e2e-learner-alone"))) {
            awaitReady(List.of(alone));
            long t0 = System.nanoTime();
            Watch trained = new Watch(t0);
            long deadline = t0 + RUN_LIMIT.toNanos();
            while (!trained.reached(end)) {
                sleep(POLL_MS);
                alone.requireAlive();
                alone.scrape().ifPresent(p -> trained.observe(System.nanoTime(), (long) count(p, "clpipe_learner_samples_total")));
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the learner alone trained " + trained.last() + " of " + end + " samples in "
                            + RUN_LIMIT.toMinutes() + " min; log " + alone.log());
                }
            }
            return trained.between(warmupTrain, end);
        }
    }

    private List<String> learnerArgs(String bootstrap, Path dir, String name, String group) {
        return List.of("--bootstrap-servers", bootstrap,
                "--set", "group.id=" + group,
                "--set", "checkpoint.dir=" + dir.resolve(name + "-checkpoints"),
                "--set", "batch.size=" + config.batchSize(),
                "--set", "replay.policy=class-balanced");
    }

    /**
     * The first {@code count} images encoded as the producer sends them, before any timing: like kcat sending a
     * file, the producer's speed is Kafka's, not this JVM's JSON encoder's.
     */
    private List<byte[]> encode(LabeledImages images, String stream, int count) {
        AvroSerde<Sample> avro = AvroSerde.sample();
        Function<Sample, byte[]> encode = config.format() == E2eConfig.Format.json ? SampleJson::write : avro::serialize;
        List<byte[]> values = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(encode.apply(Sample.newBuilder().setStream(stream).setFeatures(Features.of(images.image(i)))
                    .setLabel(images.labels()[i]).setSampleId(stream + ":" + i).build()));
        }
        return values;
    }

    /** Sends the values with one plain producer; @return seconds from the first send to the last acknowledgement. */
    private static double produce(String bootstrap, String topic, String stream, List<byte[]> values) {
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(bootstrap))) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, stream, value));
            }
            producer.flush();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Properties producerProperties(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    private ServiceJvm start(String name, String service, Path dir, String heap, List<String> args) {
        return ServiceJvm.launch(name, service, args).in(dir).heap(heap).classpath(config.classpath()).metricsEndpoint().start();
    }

    private static void awaitReady(List<ServiceJvm> services) {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        for (ServiceJvm s : services) {
            s.awaitMetrics(START_LIMIT);
            while (!s.ready()) {
                s.requireAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(s.name() + " was not ready within " + START_LIMIT + "; log " + s.log() + ":\n"
                            + s.logTail(30));
                }
                sleep(POLL_MS);
            }
        }
    }

    private static double count(PromText p, String name) {
        return p.sum(name, null, null).orElse(0);
    }

    private static long iteration(ServiceJvm service, String gauge) {
        return service.scrape().map(p -> (long) p.sum(gauge, null, null).orElse(-1)).orElse(-1L);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("clpipe-e2e-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
