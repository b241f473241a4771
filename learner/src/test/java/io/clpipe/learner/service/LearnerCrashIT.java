package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner JVM is killed (SIGKILL) in the middle of a stream and a new JVM resumes on the same
 * checkpoint directory. Stream "a": 1000 samples of t0, then 1000 of t1 ({@link TwoTasks}), batch 32
 * with a reservoir replay of a quarter, so 24 new samples per step: t0 takes 41 full steps and its 16
 * left at the switch as step 42 (boundary at iteration 42), t1 41 steps and keeps 16 pending — 83
 * steps, 1984 samples trained. A snapshot every iteration, a checkpoint every 25 steps.
 *
 * <p>The first child gets the first 1168 records (t0 and 168 of t1: 49 steps) and is killed once the
 * models topic shows version 45, so its last checkpoint is the one of step 25 whatever the exact
 * moment of the kill; the rest of the stream is produced after the kill, like a live stream. The
 * second child must re-train steps 26 onwards, across the boundary, and end where an uninterrupted
 * in-process run with the same settings ends: same samples trained, same weights bit for bit, and
 * every re-published version the same snapshot.
 */
class LearnerCrashIT {

    private static final int PER_TASK = 1000;
    private static final int BATCH = 32;
    private static final double REPLAY_FRACTION = 0.25;
    private static final int NEW_PER_STEP = BATCH - (int) Math.round(REPLAY_FRACTION * BATCH);
    private static final int CHECKPOINT_EVERY = 25;
    /** t0's last, short step trains its tail at the switch; t1's tail stays pending. */
    private static final int STEPS = (PER_TASK + NEW_PER_STEP - 1) / NEW_PER_STEP + PER_TASK / NEW_PER_STEP;
    private static final int TRAINED = 2 * PER_TASK - PER_TASK % NEW_PER_STEP;
    /** Records given to the first child: all of t0 and 7 steps of t1, i.e. up to step 49. */
    private static final int FIRST_PART = PER_TASK + 7 * NEW_PER_STEP;
    private static final int STEPS_FIRST_PART = (PER_TASK + NEW_PER_STEP - 1) / NEW_PER_STEP + 7;
    /** The kill comes once this version is on the models topic: past one checkpoint, short of the next. */
    private static final int KILL_AFTER_VERSION = 45;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final List<Sample> RECORDS = TwoTasks.samples("a", PER_TASK, 31);
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

    /** What {@code clpipe learner --config} would be given. */
    private static Properties settings(String prefix, Path checkpoints) {
        Properties p = new Properties();
        p.put("topics.prefix", prefix);
        p.put("group.id", prefix + "learner");
        p.put("checkpoint.dir", checkpoints.toString());
        p.put("checkpoint.every.steps", Integer.toString(CHECKPOINT_EVERY));
        p.put("poll.timeout.ms", "100");
        p.put("batch.linger.ms", "-1"); // t1's tail stays pending (a kill during a linger: LearnerLingerIT)
        p.put("eval.period", "1");
        p.put("eval.dense.window", "0");
        p.put("model.hidden", "16");
        p.put("model.classes", "2");
        p.put("seed", "7");
        p.put("batch.size", Integer.toString(BATCH));
        p.put("lr", "0.1");
        p.put("schedule", "cosine");
        p.put("warmup.steps", "2");
        p.put("total.steps", "90");
        p.put("lr.floor", "0.01");
        p.put("rewarm.steps", "2");
        p.put("replay.policy", "reservoir");
        p.put("replay.capacity", "200");
        p.put("replay.fraction", Double.toString(REPLAY_FRACTION));
        return p;
    }

    /** A short session, so that the restarted member does not wait 45 s for the dead one's to expire. */
    private static Properties client() {
        Properties p = broker.client();
        p.put("session.timeout.ms", "6000");
        p.put("heartbeat.interval.ms", "1000");
        return p;
    }

    @Test
    void aKilledLearnerProcessResumesFromItsLastCheckpointAndEndsBitIdenticalToAnUninterruptedRun() throws Exception {
        Topics topics = broker.createTopics("crash.", 1);
        Path dir = tmp.resolve("crash");
        Path files = Files.createDirectories(tmp.resolve("crash-settings"));
        Path settingsFile = write(files.resolve("learner.properties"), settings("crash.", dir));
        Path clientFile = write(files.resolve("client.properties"), client());
        broker.produce(topics, RECORDS.subList(0, FIRST_PART), null);

        Path logs = Files.createDirectories(Path.of("target", "learner-crash-it"));
        Child first = Child.start(settingsFile, clientFile, logs.resolve("child-1.log"));
        Reference ref;
        try {
            ref = reference(); // while the child JVM starts: the kill point does not depend on when it is reached
            assertThat(ref.checkpoint().get("version").asLong()).isEqualTo(STEPS);
            assertThat(ref.checkpoint().get("samples_trained").asLong()).isEqualTo(TRAINED);
            awaitTrue(() -> first.assertAlive() && maxVersion(topics) >= KILL_AFTER_VERSION,
                    "version " + KILL_AFTER_VERSION + " from the first child");
        } finally {
            first.kill();
        }
        long published = maxVersion(topics);
        JsonNode left = ServiceKafka.checkpoints(dir).get("a");
        // killed mid-stream, between two checkpoints: the next one (step 50) needs records not yet produced
        assertThat(published).as("last version the killed JVM published").isBetween((long) KILL_AFTER_VERSION, (long) STEPS_FIRST_PART);
        assertThat(left.get("version").asLong()).as("checkpoint left by the killed JVM").isEqualTo(CHECKPOINT_EVERY);
        assertThat(left.get("samples_trained").asLong()).isEqualTo((long) CHECKPOINT_EVERY * NEW_PER_STEP);

        broker.produce(topics, RECORDS.subList(FIRST_PART, RECORDS.size()), null);
        Child second = Child.start(settingsFile, clientFile, logs.resolve("child-2.log"));
        try {
            awaitTrue(() -> second.assertAlive() && maxVersion(topics) >= STEPS, "version " + STEPS + " from the restarted child");
            second.terminate();
        } finally {
            second.kill();
        }
        assertThat(second.log()).as("the restarted child closed cleanly on SIGTERM").contains("Learner stopped cleanly");

        JsonNode end = ServiceKafka.checkpoints(dir).get("a");
        assertThat(end.get("samples_trained").asLong()).as("samples trained after the crash and restart").isEqualTo(TRAINED);
        assertThat(end.get("version").asLong()).isEqualTo(STEPS);
        assertThat(end.get("weights_sha256").asText()).as("final weights (killed after v%d, resumed from v%d)", published,
                CHECKPOINT_EVERY).isEqualTo(ref.checkpoint().get("weights_sha256").asText());
        assertThat(end.get("replay_size").asLong()).isEqualTo(ref.checkpoint().get("replay_size").asLong());
        // both topics hold the same records at the same offsets: the same resume point (before t1's pending tail)
        assertThat(end.get("offsets").get("crash.train-0").asLong()).isEqualTo(ref.checkpoint().get("offsets").get("ref.train-0").asLong())
                .isEqualTo(RECORDS.size() - PER_TASK % NEW_PER_STEP);

        // the killed JVM published 0..published, the restarted one re-trained from the checkpoint: 26..83
        List<ModelSnapshot> snapshots = broker.snapshots(topics).get("a");
        List<Long> expected = Stream.concat(LongStream.rangeClosed(0, published).boxed(),
                LongStream.rangeClosed(CHECKPOINT_EVERY + 1, STEPS).boxed()).toList();
        assertThat(snapshots).extracting(ModelSnapshot::getVersion).containsExactlyElementsOf(expected);
        assertThat(snapshots).allSatisfy(s -> assertThat(s.getParametersCrc32c()).as("v%d", s.getVersion())
                .isEqualTo(ref.crcByVersion().get(s.getVersion())));
        System.out.printf("Learner crash: killed after v%d was published, resumed from the checkpoint of v%d, re-trained %d steps"
                        + " the killed JVM had published (%d more up to v%d); %d samples trained, final weights %s as uninterrupted%n",
                published, CHECKPOINT_EVERY, published - CHECKPOINT_EVERY, STEPS - published, STEPS, TRAINED,
                end.get("weights_sha256").asText());
    }

    /** The uninterrupted run's final checkpoint and snapshot checksums. */
    private record Reference(JsonNode checkpoint, Map<Long, Long> crcByVersion) {
    }

    private Reference reference() throws Exception {
        Topics topics = broker.createTopics("ref.", 1);
        Path dir = tmp.resolve("ref");
        broker.produce(topics, RECORDS, null);
        MeterRegistry registry = new SimpleMeterRegistry();
        try (LearnerService service = new LearnerService(LearnerServiceConfig.fromProperties(settings("ref.", dir)), client(),
                registry)) {
            service.start();
            awaitTrue(() -> {
                assertThat(service.failure()).isEmpty();
                Counter steps = registry.find("clpipe.learner.steps").tag("stream", "a").counter();
                return steps != null && steps.count() >= STEPS;
            }, STEPS + " steps of the reference run");
        }
        Map<Long, Long> crc = new HashMap<>();
        List<ModelSnapshot> snapshots = broker.snapshots(topics).get("a");
        snapshots.forEach(s -> crc.put(s.getVersion(), s.getParametersCrc32c()));
        assertThat(snapshots).extracting(ModelSnapshot::getVersion).containsExactlyElementsOf(LongStream.rangeClosed(0, STEPS).boxed().toList());
        return new Reference(ServiceKafka.checkpoints(dir).get("a"), crc);
    }

    private static long maxVersion(Topics topics) {
        return broker.snapshots(topics).getOrDefault("a", List.of()).stream().mapToLong(ModelSnapshot::getVersion).max().orElse(-1);
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
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", // a short-lived child: start fast
                    "-cp", System.getProperty("java.class.path"), LearnerProcess.class.getName(), settings.toString(), client.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new Child(p, log);
        }

        boolean assertAlive() {
            assertThat(process.isAlive()).as("child learner alive; its log:%n%s", log()).isTrue();
            return true;
        }

        /** SIGKILL: no shutdown hook, no final checkpoint, no commit, no leaving the group. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        /** SIGTERM: the shutdown hook closes the service, which checkpoints and commits. */
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
