package io.clpipe.bench.ingest;

import io.clpipe.broker.BrokerConfig;
import io.clpipe.broker.EmbeddedKafkaBroker;
import io.clpipe.datasets.LabeledImages;
import io.clpipe.datasets.Mnist;
import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.service.IngestService;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * {@code clpipe bench pipeline}, ingest part: records/s of the ingest Kafka Streams app (as
 * {@link IngestService} configures it: exactly-once v2 and its batching settings) draining a
 * pre-filled samples topic of MNIST JSON samples into train/eval on an embedded broker.
 *
 * <p>Each run is a new application id (so it reads the topic from the start, with fresh state) writing
 * to its own output topics; it is timed by the service's {@code clpipe.ingest.*} counters from the
 * first routed record to the last, polled every 0.1 ms. One untimed warm-up run comes first.
 */
public final class IngestBenchmark {

    private static final String STREAM = "bench";
    private static final Duration LIMIT = Duration.ofMinutes(10);

    private final IngestBenchConfig config;

    public IngestBenchmark(IngestBenchConfig config) {
        this.config = config;
    }

    public IngestBenchReport run(PrintStream out) {
        LabeledImages images = Mnist.load().train();
        if (images.count() < config.records()) {
            throw new IllegalArgumentException("MNIST has " + images.count() + " training images, " + config.records() + " asked");
        }
        out.printf(Locale.ROOT, "clpipe bench pipeline (ingest): the ingest Streams app (IngestService settings: exactly-once v2)"
                        + " routing %,d MNIST JSON samples (one stream, one task) to train/eval (%d‰ eval), timed from the first routed"
                        + " record to the last; median [min–max] of %d runs after one warm-up run; load average %s%n",
                config.records(), RoutingConfig.defaults().evalPerMille(), config.repeats(), loadAverage());
        Path work = tempDir();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral())) {
            Topics shared = Topics.defaults();
            broker.createTopics(List.of(shared.spec(shared.samples()).newTopic()));
            long start = System.nanoTime();
            long bytes = fill(broker.bootstrapServers(), shared.samples(), images);
            out.printf(Locale.ROOT, "embedded broker at %s; %s: %,d JSON records (%,.0f B each) in %.1f s%n", broker.bootstrapServers(),
                    shared.samples(), config.records(), (double) bytes / config.records(), (System.nanoTime() - start) / 1e9);
            List<IngestRun> runs = new ArrayList<>();
            for (int i = -1; i < config.repeats(); i++) {
                IngestRun run = runOnce(broker, shared, "bench-" + (i + 1), work, new Properties());
                out.printf(Locale.ROOT, "%s: %,.0f records/s (train %,d, eval %,d, dlq %,d; %,d commits)%n",
                        i < 0 ? "warm-up" : "run " + (i + 1) + "/" + config.repeats(), run.recordsPerSecond(), run.train(), run.eval(),
                        run.rejected(), run.commits());
                if (i >= 0) {
                    runs.add(run);
                }
            }
            IngestBenchReport report = new IngestBenchReport(runs);
            out.printf(Locale.ROOT, "| ingest (exactly-once v2) | records/s | commits per run |%n|---|---|---|%n"
                            + "| %,d MNIST JSON samples → train/eval | %,.0f [%,.0f–%,.0f] | %,d |%n", config.records(),
                    report.recordsPerSecond(), report.minRecordsPerSecond(), report.maxRecordsPerSecond(), runs.get(0).commits());
            out.println("load average at end: " + loadAverage());
            out.println(report.summaryLine());
            return report;
        } finally {
            deleteTree(work);
        }
    }

    /**
     * Settings compared side by side: the samples topic is filled once, then each round runs every
     * variant (Streams properties over the service's defaults) in an order rotated from round to round;
     * prints every run and each variant's median [min–max]. One warm-up round first.
     */
    public void compare(java.util.LinkedHashMap<String, Properties> variants, PrintStream out) {
        LabeledImages images = Mnist.load().train();
        out.printf(Locale.ROOT, "clpipe ingest settings compared: %,d MNIST JSON samples, %d rounds of %d variants after one warm-up round;"
                + " load average %s%n", config.records(), config.repeats(), variants.size(), loadAverage());
        Path work = tempDir();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral())) {
            Topics shared = Topics.defaults();
            broker.createTopics(List.of(shared.spec(shared.samples()).newTopic()));
            fill(broker.bootstrapServers(), shared.samples(), images);
            List<String> names = new ArrayList<>(variants.keySet());
            java.util.Map<String, List<Double>> rates = new java.util.LinkedHashMap<>();
            int id = 0;
            for (int round = -1; round < config.repeats(); round++) {
                StringBuilder line = new StringBuilder(round < 0 ? "warm-up:" : "round " + (round + 1) + ":");
                for (int k = 0; k < names.size(); k++) {
                    String name = names.get(Math.floorMod(k + round, names.size()));
                    IngestRun run = runOnce(broker, shared, "cmp-" + id++, work, variants.get(name));
                    line.append(String.format(Locale.ROOT, " %s %,.0f/s (%d commits);", name, run.recordsPerSecond(), run.commits()));
                    if (round >= 0) {
                        rates.computeIfAbsent(name, n -> new ArrayList<>()).add(run.recordsPerSecond());
                    }
                }
                out.println(line + " load " + loadAverage());
            }
            out.println("| variant | records/s median [min–max] |\n|---|---|");
            rates.forEach((name, r) -> {
                List<Double> sorted = r.stream().sorted().toList();
                double median = (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2;
                out.printf(Locale.ROOT, "| %s | %,.0f [%,.0f–%,.0f] |%n", name, median, sorted.get(0), sorted.get(sorted.size() - 1));
            });
            out.println("load average at end: " + loadAverage());
        } finally {
            deleteTree(work);
        }
    }

    private long fill(String bootstrap, String topic, LabeledImages images) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        long bytes = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < config.records(); i++) {
                byte[] value = SampleJson.write(Sample.newBuilder().setStream(STREAM).setTask("mnist")
                        .setFeatures(Features.of(images.image(i))).setLabel(images.labels()[i]).setSampleId("mnist-train:" + i).build());
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, STREAM, value));
            }
            producer.flush();
        }
        return bytes;
    }

    /** One ingest app with its own id, state and output topics, reading the shared samples topic from the start. */
    private IngestRun runOnce(EmbeddedKafkaBroker broker, Topics shared, String id, Path work, Properties overrides) {
        Topics own = Topics.withPrefix(id + ".");
        Topics topics = new Topics(shared.samples(), own.train(), own.eval(), own.dlq(), own.control(), own.models(),
                own.metrics(), own.checkpoints(), own.requests(), own.predictions(), own.scoreRequests(), own.scores());
        broker.createTopics(Stream.of(topics.train(), topics.eval(), topics.dlq(), topics.control())
                .map(t -> own.spec(t).newTopic()).toList());
        Properties client = new Properties();
        client.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        client.put(StreamsConfig.APPLICATION_ID_CONFIG, "clpipe-bench-ingest-" + id);
        client.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve(id).toString());
        client.putAll(overrides);
        MeterRegistry registry = new SimpleMeterRegistry();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        try (IngestService service = new IngestService(topics, RoutingConfig.defaults(), client, registry)) {
            service.start();
            long first = 0;
            long startNanos = 0;
            long commitsWhenRouted = -1;
            while (true) {
                long now = System.nanoTime();
                long routed = routed(registry);
                long commits = commits(registry);
                if (first == 0 && routed > 0) {
                    first = routed;
                    startNanos = now;
                }
                // The run ends when the last records are committed (visible to read_committed consumers), not
                // merely processed: the stream thread commits only after processing, so the first commit
                // completed after every record was routed covers them all, however fast the machine is.
                if (commitsWhenRouted < 0 && routed >= config.records()) {
                    commitsWhenRouted = commits;
                }
                if (commitsWhenRouted >= 0 && commits > commitsWhenRouted) {
                    return new IngestRun(routed - first, (now - startNanos) / 1e9, count(registry, "outcome", "train"),
                            count(registry, "outcome", "eval"), sum(registry.find("clpipe.ingest.rejected")), commits);
                }
                if (service.failure().isPresent()) {
                    throw new IllegalStateException("ingest failed after " + routed + " records", service.failure().get());
                }
                if (now > deadline) {
                    throw new IllegalStateException("ingest routed only " + routed + " of " + config.records() + " records in "
                            + LIMIT.toMinutes() + " min");
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
        }
    }

    private static long routed(MeterRegistry registry) {
        return sum(registry.find("clpipe.ingest.records")) + sum(registry.find("clpipe.ingest.rejected"));
    }

    private static long commits(MeterRegistry registry) {
        return sum(registry.find("kafka.stream.thread.commit.total"));
    }

    private static long count(MeterRegistry registry, String tag, String value) {
        return sum(registry.find("clpipe.ingest.records").tag(tag, value));
    }

    private static long sum(Search search) {
        double total = search.counters().stream().mapToDouble(c -> c.count()).sum()
                + search.functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
        return Math.round(total);
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("clpipe-bench-ingest-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
