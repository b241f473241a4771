package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batch.linger.ms} on a real broker. Stream "a": 1000 samples of t0, then 60 of t1; batch 32
 * with a quarter replayed, so 24 new samples per step. t0 makes 41 full steps and leaves 16 pending:
 * with nothing more coming, the linger trains them as step 42. t1 then makes 2 full steps (43, 44)
 * and leaves 12 pending, trained as step 45 by the linger. Each phase is produced in one transaction,
 * so that it appears on the (read_committed) training topic all at once: a linger, which waits for the
 * partition to be read to its end, can then only cut at the end of a phase, however slow the machine.
 */
class LearnerLingerIT {

    private static final int BATCH = 32;
    private static final double REPLAY_FRACTION = 0.25;
    private static final int T0 = 1000;
    private static final int T1 = 60;
    /** 41 full steps of t0 and its 16 left as step 42; t1: 2 full steps and its 12 left as step 45. */
    private static final long CUT_A = 42;
    private static final long FULL_B = 44;
    private static final long CUT_B = 45;
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static final List<Sample> RECORDS = TwoTasks.samples("a", T0, 41).subList(0, T0 + T1);
    private static TestKafkaCluster kafka;
    private static ServiceKafka broker;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaClusters.start();
        broker = new ServiceKafka(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Properties settings(String prefix, Path checkpoints) {
        Properties p = new Properties();
        p.put("topics.prefix", prefix);
        p.put("group.id", prefix + "learner");
        p.put("checkpoint.dir", checkpoints.toString());
        p.put("checkpoint.every.steps", "25");
        p.put("poll.timeout.ms", "100");
        p.put("batch.linger.ms", "1500");
        p.put("eval.period", "1");
        p.put("eval.dense.window", "0");
        p.put("model.hidden", "16");
        p.put("model.classes", "2");
        p.put("seed", "5");
        p.put("batch.size", Integer.toString(BATCH));
        p.put("lr", "0.1");
        p.put("schedule", "cosine");
        p.put("warmup.steps", "2");
        p.put("total.steps", "60");
        p.put("lr.floor", "0.01");
        p.put("rewarm.steps", "2");
        p.put("replay.policy", "reservoir");
        p.put("replay.capacity", "200");
        p.put("replay.fraction", Double.toString(REPLAY_FRACTION));
        return p;
    }

    private static Properties client() {
        Properties p = broker.client();
        p.put("session.timeout.ms", "6000");
        p.put("heartbeat.interval.ms", "1000");
        return p;
    }

    @Test
    void anIdleStreamIsFullyTrainedOnceItsLingerHasPassedAndItsCutIsCheckpointed() throws Exception {
        Topics topics = broker.createTopics("idle.", 1);
        Path dir = tmp.resolve("idle");
        MeterRegistry registry = new SimpleMeterRegistry();
        try (LearnerService service = new LearnerService(LearnerServiceConfig.fromProperties(settings("idle.", dir)), client(),
                registry)) {
            service.start();
            produceInOneTransaction(topics, RECORDS.subList(0, T0));
            awaitTrue(() -> noFailure(service) && count(registry, "clpipe.learner.samples") >= T0, "all " + T0 + " t0 samples trained");
            assertThat(count(registry, "clpipe.learner.linger.steps")).isEqualTo(1.0);
            assertThat(count(registry, "clpipe.learner.steps")).isEqualTo(CUT_A);
            // a new task after a cut: no pending tail to train first, the boundary is at the cut step
            produceInOneTransaction(topics, RECORDS.subList(T0, T0 + T1));
            awaitTrue(() -> noFailure(service) && count(registry, "clpipe.learner.samples") >= T0 + T1, "all samples trained");
            assertThat(count(registry, "clpipe.learner.linger.steps")).isEqualTo(2.0);
            assertThat(count(registry, "clpipe.learner.steps")).isEqualTo(CUT_B);
        }
        JsonNode cp = ServiceKafka.checkpoints(dir).get("a");
        assertThat(cp.get("samples_trained").asLong()).isEqualTo(T0 + T1);
        assertThat(cp.get("version").asLong()).isEqualTo(CUT_B);
        assertThat(cp.get("linger_cuts").asLong()).isEqualTo(2);
        assertThat(cp.get("linger_last_iteration").asLong()).isEqualTo(CUT_B);
        assertThat(cp.get("boundary_iteration").asLong()).isEqualTo(CUT_A);
        List<ModelSnapshot> snapshots = broker.snapshots(topics).get("a");
        assertThat(snapshots).extracting(ModelSnapshot::getVersion)
                .containsExactlyElementsOf(LongStream.rangeClosed(0, CUT_B).boxed().toList());
        assertThat(snapshots.get((int) CUT_A).getTask()).isEqualTo("t0");
        assertThat(snapshots.get((int) CUT_A + 1).getTask()).isEqualTo("t1");
    }

    /**
     * The learner JVM is killed once t1's two full steps are out, i.e. while its 12-sample tail is
     * lingering (or just after the cut, if the machine was slow to kill: both end the same). A new JVM
     * resumes from the checkpoint written at t0's cut (or at t1's) and must end bit-identical to an
     * uninterrupted in-process run with the same cuts, every re-published version included.
     */
    @Test
    void aLearnerKilledWhileLingeringResumesAndEndsBitIdenticalToAnUninterruptedRunWithTheSameCuts() throws Exception {
        Topics topics = broker.createTopics("kill.", 1);
        Path dir = tmp.resolve("kill");
        Path files = Files.createDirectories(tmp.resolve("kill-settings"));
        Path settingsFile = write(files.resolve("learner.properties"), settings("kill.", dir));
        Path clientFile = write(files.resolve("client.properties"), client());
        Path logs = Files.createDirectories(Path.of("target", "learner-linger-it"));

        Reference ref = reference();
        produceInOneTransaction(topics, RECORDS.subList(0, T0));
        Child first = Child.start(settingsFile, clientFile, logs.resolve("child-1.log"));
        long cutsAtKill;
        try {
            // v42 is published only after the checkpoint of its cut: t0's cut is committed
            awaitTrue(() -> first.assertAlive() && maxVersion(topics) >= CUT_A, "t0's linger cut from the first child");
            produceInOneTransaction(topics, RECORDS.subList(T0, T0 + T1));
            awaitTrue(() -> first.assertAlive() && maxVersion(topics) >= FULL_B, "t1's full steps from the first child");
        } finally {
            first.kill();
        }
        JsonNode left = ServiceKafka.checkpoints(dir).get("a");
        cutsAtKill = left.get("linger_cuts").asLong();
        assertThat(cutsAtKill).as("cuts in the checkpoint the killed JVM left").isBetween(1L, 2L);
        long published = countVersion(topics, CUT_B);

        Child second = Child.start(settingsFile, clientFile, logs.resolve("child-2.log"));
        try {
            awaitTrue(() -> second.assertAlive() && countVersion(topics, CUT_B) > published, "v" + CUT_B + " from the restarted child");
            second.terminate();
        } finally {
            second.kill();
        }
        assertThat(second.log()).contains("Learner stopped cleanly");

        JsonNode end = ServiceKafka.checkpoints(dir).get("a");
        assertThat(end.get("samples_trained").asLong()).isEqualTo(T0 + T1);
        assertThat(end.get("version").asLong()).isEqualTo(CUT_B);
        assertThat(end.get("linger_cuts").asLong()).isEqualTo(2);
        assertThat(end.get("weights_sha256").asText()).as("final weights after a kill with %d cut(s) committed", cutsAtKill)
                .isEqualTo(ref.checkpoint().get("weights_sha256").asText());
        assertThat(end.get("replay_size").asLong()).isEqualTo(ref.checkpoint().get("replay_size").asLong());
        List<ModelSnapshot> snapshots = broker.snapshots(topics).get("a");
        assertThat(snapshots).extracting(ModelSnapshot::getVersion).containsAll(ref.crcByVersion().keySet());
        assertThat(snapshots).allSatisfy(s -> assertThat(s.getParametersCrc32c()).as("v%d", s.getVersion())
                .isEqualTo(ref.crcByVersion().get(s.getVersion())));
        System.out.printf("Learner killed while lingering: %d linger cut(s) in its last checkpoint (%s), restarted, %d samples"
                        + " trained in %d steps, final weights %s as uninterrupted%n", cutsAtKill,
                cutsAtKill == 1 ? "killed during t1's linger" : "killed after t1's cut", T0 + T1, CUT_B,
                end.get("weights_sha256").asText());
    }

    private record Reference(JsonNode checkpoint, Map<Long, Long> crcByVersion) {
    }

    private Reference reference() throws Exception {
        Topics topics = broker.createTopics("lingerref.", 1);
        Path dir = tmp.resolve("lingerref");
        MeterRegistry registry = new SimpleMeterRegistry();
        try (LearnerService service = new LearnerService(LearnerServiceConfig.fromProperties(settings("lingerref.", dir)), client(),
                registry)) {
            service.start();
            produceInOneTransaction(topics, RECORDS.subList(0, T0));
            awaitTrue(() -> noFailure(service) && count(registry, "clpipe.learner.samples") >= T0, "reference: t0 trained");
            produceInOneTransaction(topics, RECORDS.subList(T0, T0 + T1));
            awaitTrue(() -> noFailure(service) && count(registry, "clpipe.learner.samples") >= T0 + T1, "reference: t1 trained");
        }
        Map<Long, Long> crc = new HashMap<>();
        broker.snapshots(topics).get("a").forEach(s -> crc.put(s.getVersion(), s.getParametersCrc32c()));
        assertThat(crc.keySet()).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(0, CUT_B).boxed().toList());
        JsonNode cp = ServiceKafka.checkpoints(dir).get("a");
        assertThat(cp.get("linger_cuts").asLong()).isEqualTo(2);
        return new Reference(cp, crc);
    }

    /** All of {@code records} in one transaction: a read_committed consumer sees them all at once or none. */
    private static void produceInOneTransaction(Topics topics, List<Sample> records) {
        Properties p = broker.client();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("transactional.id", "linger-it-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (Sample s : records) {
                producer.send(new ProducerRecord<>(topics.train(), 0, s.getStream(), AvroSerde.sample().serialize(s)));
            }
            producer.commitTransaction();
        }
    }

    private static boolean noFailure(LearnerService service) {
        assertThat(service.failure()).isEmpty();
        return true;
    }

    private static double count(MeterRegistry registry, String name) {
        Counter c = registry.find(name).tag("stream", "a").counter();
        return c == null ? 0 : c.count();
    }

    private static long maxVersion(Topics topics) {
        return broker.snapshots(topics).getOrDefault("a", List.of()).stream().mapToLong(ModelSnapshot::getVersion).max().orElse(-1);
    }

    private static long countVersion(Topics topics, long version) {
        return broker.snapshots(topics).getOrDefault("a", List.of()).stream().filter(s -> s.getVersion() == version).count();
    }

    private static Path write(Path file, Properties p) throws IOException {
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, null);
        }
        return file;
    }

    /** Bounded wait for a condition (a hang guard, not a timing assertion). */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("timed out waiting for " + what).isNegative();
            Thread.sleep(100);
        }
    }

    /** A {@link LearnerProcess} JVM with its output in a log file. */
    private record Child(Process process, Path logFile) {

        static Child start(Path settings, Path client, Path log) throws IOException {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), LearnerProcess.class.getName(), settings.toString(), client.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Child(p, log);
        }

        boolean assertAlive() {
            assertThat(process.isAlive()).as("child learner alive; its log:%n%s", log()).isTrue();
            return true;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        void terminate() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("child stopped on SIGTERM; its log:%n%s", log()).isTrue();
        }

        String log() {
            try {
                String text = Files.readString(logFile);
                return text.length() > 8000 ? text.substring(text.length() - 8000) : text;
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }
}
