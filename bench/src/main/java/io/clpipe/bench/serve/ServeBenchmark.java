package io.clpipe.bench.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clpipe.broker.BrokerConfig;
import io.clpipe.broker.EmbeddedKafkaBroker;
import io.clpipe.datasets.LabeledImages;
import io.clpipe.datasets.Mnist;
import io.clpipe.learner.service.LearnerService;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.clpipe.predictor.service.PredictorService;
import io.clpipe.predictor.service.PredictorServiceConfig;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * {@code clpipe bench serve}: the predictor answering a steady request rate while the learner trains
 * and publishes snapshots, everything on one embedded broker in this JVM. Training samples (MNIST,
 * Avro) go straight to the train topic at a fixed rate; requests (MNIST test images, JSON) at
 * {@code rate}/s for {@code seconds}. Latency is the client's: request sent → its prediction read
 * (read_committed, so it includes the transaction commit).
 */
public final class ServeBenchmark {

    private static final String STREAM = "digits";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int rate;
    private final int seconds;
    private final int trainPerSecond;

    public ServeBenchmark(int rate, int seconds, int trainPerSecond) {
        this.rate = rate;
        this.seconds = seconds;
        this.trainPerSecond = trainPerSecond;
    }

    public void run(PrintStream out) throws Exception {
        Mnist mnist = Mnist.load();
        Topics topics = Topics.defaults();
        Path work = Files.createTempDirectory("clpipe-bench-serve");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral())) {
            broker.createTopics(topics.specs().stream().map(TopicSpec::newTopic).toList());
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            Properties lp = new Properties();
            lp.setProperty("model.hidden", "400,400");
            lp.setProperty("eval.period", "5");
            lp.setProperty("eval.dense.window", "0");
            lp.setProperty("checkpoint.dir", work.resolve("checkpoints").toString());
            lp.setProperty("checkpoint.every.steps", "1000000");
            AtomicBoolean training = new AtomicBoolean(true);
            try (LearnerService learner = new LearnerService(LearnerServiceConfig.fromProperties(lp), client, registry);
                 PredictorService predictor = new PredictorService(PredictorServiceConfig.defaults(topics), client, registry)) {
                learner.start();
                Thread trainer = new Thread(() -> train(broker.bootstrapServers(), topics, mnist.train(), training), "bench-train");
                trainer.setDaemon(true);
                trainer.start();
                waitFor(() -> samples(registry) > 0, "the learner's first step");
                predictor.start();
                if (!predictor.awaitReady(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("predictor not ready: " + predictor.failure());
                }
                double samplesBefore = samples(registry);
                double cpuBefore = processCpuSeconds();
                long start = System.nanoTime();
                Result r = serve(broker.bootstrapServers(), topics, mnist.test());
                double wall = (System.nanoTime() - start) / 1e9;
                double trained = samples(registry) - samplesBefore;
                double cpu = processCpuSeconds() - cpuBefore;
                training.set(false);
                double swaps = registry.find("clpipe.predictor.model.swaps").counters().stream().mapToDouble(c -> c.count()).sum();
                out.printf(Locale.ROOT, "clpipe bench serve: %d requests at %d/s for %d s; learner fed %d samples/s (MLP 784-400-400-10, "
                        + "snapshot every 5 iterations)%n", r.sent, rate, seconds, trainPerSecond);
                out.printf(Locale.ROOT, "  predictions read        %d (%d distinct ids, %d answered by a model, %d duplicates)%n",
                        r.read, r.ids, r.byModel, r.read - r.ids);
                out.printf(Locale.ROOT, "  predictions/s           %.0f%n", r.read / r.seconds);
                out.printf(Locale.ROOT, "  latency ms (sent -> read_committed): p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n",
                        r.pct(0.5), r.pct(0.9), r.pct(0.99), r.pct(1.0));
                out.printf(Locale.ROOT, "  model versions answering: %d (%d..%d); swaps %.0f%n", r.versions.size(),
                        r.versions.isEmpty() ? -1 : r.versions.first(), r.versions.isEmpty() ? -1 : r.versions.last(), swaps);
                out.printf(Locale.ROOT, "  learner meanwhile       %.0f samples/s trained%n", trained / wall);
                out.printf(Locale.ROOT, "  machine: %d cores, load average %.2f at the end, this JVM used %.2f cores%n",
                        Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        cpu / wall);
            }
        }
    }

    private record Result(long sent, long read, long ids, long byModel, double seconds, double[] latenciesMs, TreeSet<Long> versions) {
        double pct(double q) {
            if (latenciesMs.length == 0) {
                return Double.NaN;
            }
            return latenciesMs[Math.min(latenciesMs.length - 1, (int) Math.ceil(q * latenciesMs.length) - 1 < 0 ? 0
                    : (int) Math.ceil(q * latenciesMs.length) - 1)];
        }
    }

    private Result serve(String bootstrap, Topics topics, LabeledImages test) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        int total = rate * seconds;
        List<Double> latencies = new ArrayList<>();
        Set<String> ids = new java.util.HashSet<>();
        TreeSet<Long> versions = new TreeSet<>();
        long read = 0;
        long byModel = 0;
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(cp, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topics.predictions()).stream()
                    .map(i -> new TopicPartition(topics.predictions(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            long start = System.nanoTime();
            int sent = 0;
            long deadline = start + Duration.ofSeconds(seconds + 60L).toNanos();
            while ((sent < total || ids.size() < total) && System.nanoTime() < deadline) {
                long due = start + (long) (sent * 1e9 / rate);
                while (sent < total && System.nanoTime() >= due) {
                    String id = "b" + sent;
                    ObjectNode o = JSON.createObjectNode().put("stream", STREAM).put("id", id).put("top", 3);
                    float[] image = test.image(sent % test.count());
                    var arr = o.putArray("features");
                    for (float v : image) {
                        arr.add(v);
                    }
                    byte[] value = JSON.writeValueAsBytes(o);
                    sentAt.put(id, System.nanoTime());
                    producer.send(new ProducerRecord<>(topics.requests(), STREAM, value));
                    sent++;
                    due = start + (long) (sent * 1e9 / rate);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(2))) {
                    long now = System.nanoTime();
                    JsonNode p = JSON.readTree(r.value());
                    String id = p.get("id").asText();
                    read++;
                    Long t = sentAt.get(id);
                    if (t != null && ids.add(id)) {
                        latencies.add((now - t) / 1e6);
                    }
                    if (!p.get("version").isNull()) {
                        byModel++;
                        versions.add(p.get("version").asLong());
                    }
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            return new Result(sent, read, ids.size(), byModel, elapsed, sorted, versions);
        }
    }

    private void train(String bootstrap, Topics topics, LabeledImages images, AtomicBoolean running) {
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        pp.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        AvroSerde<Sample> serde = AvroSerde.sample();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            long n = 0;
            while (running.get()) {
                long due = start + (long) (n * 1e9 / trainPerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int i = (int) (n % images.count());
                List<Float> features = new ArrayList<>(images.dim());
                for (float v : images.image(i)) {
                    features.add(v);
                }
                Sample s = Sample.newBuilder().setStream(STREAM).setTask("all").setFeatures(features).setLabel(images.labels()[i])
                        .setSampleId("train-" + n).build();
                producer.send(new ProducerRecord<>(topics.train(), STREAM, serde.serialize(s)));
                n++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double samples(SimpleMeterRegistry registry) {
        return Search.in(registry).name("clpipe.learner.samples").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
