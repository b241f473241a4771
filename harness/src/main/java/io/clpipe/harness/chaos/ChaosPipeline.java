package io.clpipe.harness.chaos;

import io.clpipe.harness.ServiceJvm;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scenario's pipeline, every service in its own JVM as in production: ingest (exactly-once
 * Streams app), one or two learners (Kafka checkpoint store, one consumer group) and one or two
 * evaluators (one group, each its own transactional id and state directory; models and metrics
 * topics have {@value #PARTITIONS} partitions, and streams s0 and s1 hash to different ones),
 * on topics of their own prefix. Children that die on their own (e.g. a producer that gives up while
 * the broker is down) are restarted by {@link #supervise()}, as a container's restart policy would.
 */
final class ChaosPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChaosPipeline.class);
    static final int PARTITIONS = 2;
    static final int BATCH = 16;
    static final double REPLAY_FRACTION = 0.25;
    static final int NEW_PER_STEP = BATCH - (int) Math.round(REPLAY_FRACTION * BATCH);

    /** A kind of service child. */
    enum Role { INGEST, LEARNER, EVALUATOR, SCORER }

    private final Topics topics;
    private final Path dir;
    private final String bootstrap;
    private final Map<String, ServiceJvm> children = new LinkedHashMap<>();
    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final Map<String, Integer> starts = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final String prefix;
    private final Path learnerSettings;
    private final Path client;
    private final Path ingestClient;
    private boolean spreadScoring;

    ChaosPipeline(Topics topics, Path dir, String bootstrap, long seed) {
        this.topics = topics;
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.prefix = topics.train().substring(0, topics.train().length() - "train".length());
        this.learnerSettings = write(dir.resolve("learner.properties"), learnerProperties(prefix, seed));
        Properties c = clientProperties();
        this.client = write(dir.resolve("client.properties"), c);
        c.put("application.id", prefix + "ingest");
        c.put("state.dir", dir.resolve("streams-state").toString());
        // Ingest runs with its own defaults, among them one produce request in flight (IngestService).
        this.ingestClient = write(dir.resolve("ingest-client.properties"), c);
    }

    /** The learner's settings: tiny MLP, snapshot every iteration, checkpoints on the Kafka store every 5 steps. */
    static Properties learnerProperties(String prefix, long seed) {
        Properties p = new Properties();
        p.put("topics.prefix", prefix);
        p.put("group.id", prefix + "learner");
        p.put("checkpoint.store", "kafka");
        p.put("checkpoint.every.steps", "5");
        p.put("poll.timeout.ms", "100");
        // A fault can pause the stream for longer than a linger; the faulted run would then cut batches
        // the uninterrupted reference does not, and its weights legitimately differ (docs/operations.md,
        // "Idle streams and batch.linger.ms"). Chaos checks the record-driven batching.
        p.put("batch.linger.ms", "-1");
        p.put("eval.period", "1");
        p.put("eval.dense.window", "0");
        p.put("model.hidden", "16");
        p.put("model.classes", "2");
        p.put("seed", Long.toString(seed));
        p.put("batch.size", Integer.toString(BATCH));
        p.put("lr", "0.05");
        p.put("replay.policy", "reservoir");
        p.put("replay.capacity", "100");
        p.put("replay.fraction", Double.toString(REPLAY_FRACTION));
        return p;
    }

    /** Evaluators started from now on have scorers score the snapshots (scoring=spread); start them with {@link Role#SCORER}. */
    void spreadScoring() {
        spreadScoring = true;
    }

    String scorerGroup() {
        return prefix + "scorer";
    }

    /** A scorer's settings: the scorers' group, a transactional id of its own, one request per transaction (many commits to kill between). */
    private Path scorerSettings(String name) {
        Properties p = new Properties();
        p.put("group.id", scorerGroup());
        p.put("transactional.id", prefix + name);
        p.put("poll.timeout.ms", "100");
        p.put("max.requests.per.transaction", "1");
        return write(dir.resolve(name + ".properties"), p);
    }

    String evaluatorGroup() {
        return evaluatorProperties(prefix).getProperty("group.id");
    }

    /** The settings all evaluators of a scenario share (without state dir and transactional id). */
    static Properties evaluatorProperties(String prefix) {
        Properties eval = new Properties();
        eval.put("group.id", prefix + "evaluator");
        eval.put("eval.set.size", "30");
        eval.put("poll.timeout.ms", "100");
        eval.put("max.snapshots.per.transaction", "4");
        return eval;
    }

    /** The settings of the evaluator named {@code name}: a group shared by all, a transactional id and state dir of its own. */
    private Path evaluatorSettings(String name) {
        Properties eval = evaluatorProperties(prefix);
        eval.put("state.dir", dir.resolve(name + "-state").toString());
        eval.put("transactional.id", prefix + name);
        if (spreadScoring) {
            eval.put("scoring", "spread");
        }
        return write(dir.resolve(name + ".properties"), eval);
    }

    /**
     * Short sessions and transactions, so that a killed member's partitions move, and its open
     * transaction is aborted, within seconds rather than 45 and 60.
     */
    Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("session.timeout.ms", "6000");
        p.put("heartbeat.interval.ms", "1000");
        p.put("reconnect.backoff.max.ms", "1000");
        p.put("transaction.timeout.ms", "10000");
        return p;
    }

    Topics topics() {
        return topics;
    }

    List<String> notes() {
        return notes;
    }

    void start(Role role, String name) {
        List<String> args = new ArrayList<>(switch (role) {
            case INGEST -> List.of("ingest", "--kafka-config", ingestClient.toString(), "--eval-permille", "0", "--classes", "2");
            case LEARNER -> List.of("learner", "--kafka-config", client.toString(), "--config", learnerSettings.toString());
            case EVALUATOR -> List.of("evaluator", "--kafka-config", client.toString(), "--config", evaluatorSettings(name).toString());
            case SCORER -> List.of("scorer", "--kafka-config", client.toString(), "--config", scorerSettings(name).toString());
        });
        args.addAll(List.of("-b", bootstrap, "--topic-prefix", topics.train().substring(0, topics.train().length() - 5),
                "--metrics-port", "-1"));
        int n = starts.merge(name, 1, Integer::sum);
        ServiceJvm child = ServiceJvm.launch(name, args.get(0), args.subList(1, args.size())).heap(role == Role.INGEST ? "384m" : "512m")
                .fastStart().log(dir.resolve("logs").resolve(name + "-" + n + ".log")).start();
        children.put(name, child);
        roles.put(name, role);
        log.info("Started {} (pid {}, start #{})", name, child.pid(), n);
    }

    /** SIGKILL of a child; {@code restart}: start it again at once. */
    void kill(String name, boolean restart) {
        ServiceJvm c = children.get(name);
        log.info("SIGKILL {} (pid {})", name, c.pid());
        c.kill();
        if (restart) {
            start(roles.get(name), name);
        }
    }

    boolean alive(String name) {
        return children.containsKey(name) && children.get(name).alive();
    }

    List<String> names(Role role) {
        return roles.entrySet().stream().filter(e -> e.getValue() == role).map(Map.Entry::getKey).toList();
    }

    /** Restarts children that exited without being told to, and notes it. */
    void supervise() {
        for (Map.Entry<String, ServiceJvm> e : List.copyOf(children.entrySet())) {
            if (e.getValue().diedOnItsOwn()) {
                String tail = e.getValue().logTail(3).replace('\n', ' ');
                notes.add(e.getKey() + " exited on its own and was restarted");
                log.warn("{} exited on its own; restarting it. Log tail: {}", e.getKey(), tail);
                start(roles.get(e.getKey()), e.getKey());
            }
        }
    }

    /** Produces JSON samples to the samples topic, stream i into partition i mod {@value #PARTITIONS}. */
    void produce(List<Sample> samples) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Sample s : samples) {
                int partition = Integer.parseInt(s.getStream().substring(1)) % PARTITIONS;
                sent.add(producer.send(new ProducerRecord<>(topics.samples(), partition, s.getStream(), SampleJson.write(s))));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("producing the chaos stream failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        }
    }

    /** SIGTERM to every child, learners first (their final checkpoints), then the evaluator, the scorers and ingest. */
    void stopAll() {
        for (Role role : List.of(Role.LEARNER, Role.EVALUATOR, Role.SCORER, Role.INGEST)) {
            for (String name : names(role)) {
                ServiceJvm c = children.get(name);
                if (c.alive()) {
                    int code = c.terminate(90);
                    if (code != 0 && code != 143) { // 143 = 128 + SIGTERM: the JVM's status after its shutdown hooks ran
                        notes.add(name + " exited " + code + " on SIGTERM");
                        log.warn("{} exited {} on SIGTERM; log tail:\n{}", name, code, c.logTail(20));
                    }
                }
            }
        }
    }

    /** The concatenated logs of every start of a child. */
    String logs(String name) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= starts.getOrDefault(name, 0); i++) {
            try {
                s.append(Files.readString(dir.resolve("logs").resolve(name + "-" + i + ".log")));
            } catch (IOException e) {
                // not written
            }
        }
        return s.toString();
    }

    String logTail(String name) {
        ServiceJvm c = children.get(name);
        return c == null ? "" : c.logTail(30);
    }

    @Override
    public void close() {
        children.values().stream().filter(ServiceJvm::alive).forEach(ServiceJvm::kill);
    }

    private static Path write(Path file, Properties p) {
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file)) {
                p.store(out, null);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
