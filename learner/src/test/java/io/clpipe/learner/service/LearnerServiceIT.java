package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.schedule.Infinite;
import io.clpipe.learner.engine.schedule.WarmupDecay;
import io.clpipe.models.Batch;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpecCodec;
import io.clpipe.models.Models;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.EvaluationPlan;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner service on a real broker. Two streams share the training partition: "a" (300 samples
 * of task t0, then 300 of t1) and "b" (100 + 100), interleaved one b after every third a. Batch 32:
 * a trains 10 steps on t0 (the last one the 12 left at the switch), a boundary at iteration 10, 9
 * steps on t1 and keeps 12 pending: 19 steps, 588 samples; b trains 4 + 3 steps, 196 samples.
 * Snapshots every 4 iterations and at the first 3 after a boundary.
 */
class LearnerServiceIT {

    private static final int PER_TASK_A = 300;
    private static final int PER_TASK_B = 100;

    private static TestKafkaCluster kafka;
    private static ServiceKafka broker;
    private static final List<Sample> A = TwoTasks.samples("a", PER_TASK_A, 11);
    private static final List<Sample> B = TwoTasks.samples("b", PER_TASK_B, 12);
    /** The interleaved training records: a0 a1 a2 b0 a3 a4 a5 b1 … */
    private static final List<Sample> RECORDS = interleave();
    private static Run reference;

    @TempDir
    static Path tmp;

    /** What a run left behind: snapshots per stream (in topic order), final checkpoints, counters. */
    record Run(Map<String, List<ModelSnapshot>> snapshots, Map<String, JsonNode> checkpoints, Map<String, Double> steps,
               Map<String, Double> samples, List<Long> offsets) {
    }

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

    private static List<Sample> interleave() {
        List<Sample> out = new ArrayList<>();
        int b = 0;
        for (int i = 0; i < A.size(); i++) {
            out.add(A.get(i));
            if (i % 3 == 2 && b < B.size()) {
                out.add(B.get(b++));
            }
        }
        return out;
    }

    private static LearnerServiceConfig config(Topics topics, Path checkpoints) {
        LearnerConfig learner = LearnerConfig.defaults().withBatchSize(32)
                .withSchedule(WarmupDecay.cosine(0.1, 0.01, 2, 20).withRewarm(0.1, 1));
        return LearnerServiceConfig.defaults(checkpoints).withTopics(topics).withGroupId(topics.train() + "-learner")
                .withModels(new ModelTemplate.Mlp(new int[] {16}, 2)).withLearner(learner)
                .withPlan(EvaluationPlan.boundaryDense(4, 3)).withCheckpointEverySteps(5).withPollTimeout(Duration.ofMillis(100))
                // these runs pin the record-driven batches (tails stay pending); linger cuts: LearnerLingerIT
                .withBatchLingerMs(-1);
    }

    private static Properties client() {
        return broker.client();
    }

    private static Topics createTopics(String prefix) throws Exception {
        return broker.createTopics(prefix, 1);
    }

    private static Topics createTopics(String prefix, int trainPartitions) throws Exception {
        return broker.createTopics(prefix, trainPartitions);
    }

    /** Produces records [from, to) of {@link #RECORDS}; returns their offsets. */
    private static List<Long> produce(Topics topics, int from, int to) throws Exception {
        return produce(topics, from, to, null);
    }

    /** The same into the given partition of each stream (null: the default partitioner's). */
    private static List<Long> produce(Topics topics, int from, int to, Map<String, Integer> partitions) throws Exception {
        return broker.produce(topics, RECORDS.subList(from, to), partitions);
    }

    private static double count(MeterRegistry registry, String name, String stream) {
        Counter c = registry.find(name).tag("stream", stream).counter();
        return c == null ? 0 : c.count();
    }

    /** Waits (bounded, not a timing assertion) until each stream has taken the given number of steps. */
    private static void awaitSteps(LearnerService service, MeterRegistry registry, Map<String, Integer> steps) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            boolean done = steps.entrySet().stream()
                    .allMatch(e -> count(registry, "clpipe.learner.steps", e.getKey()) >= e.getValue());
            if (done) {
                return;
            }
            assertThat(service.failure()).isEmpty();
            assertThat(System.nanoTime()).as("steps %s reached in time (now a=%s b=%s)", steps,
                    count(registry, "clpipe.learner.steps", "a"), count(registry, "clpipe.learner.steps", "b")).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The read-ahead queue (on by default) reports itself and drains once the loop has taken every record. */
    private static void awaitEmptyReadAhead(MeterRegistry registry) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (registry.get("clpipe.learner.read.ahead.records").gauge().value() != 0
                || registry.get("clpipe.learner.read.ahead.bytes").gauge().value() != 0) {
            assertThat(System.nanoTime()).as("read-ahead queue empty in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static Map<String, List<ModelSnapshot>> snapshots(Topics topics) {
        return broker.snapshots(topics);
    }

    private static Map<String, JsonNode> checkpoints(Path dir) throws Exception {
        return ServiceKafka.checkpoints(dir);
    }

    private static Run finish(Topics topics, Path dir, List<Long> offsets, List<MeterRegistry> registries) throws Exception {
        Map<String, Double> steps = new HashMap<>();
        Map<String, Double> samples = new HashMap<>();
        for (String s : List.of("a", "b")) {
            steps.put(s, registries.stream().mapToDouble(r -> count(r, "clpipe.learner.steps", s)).sum());
            samples.put(s, registries.stream().mapToDouble(r -> count(r, "clpipe.learner.samples", s)).sum());
        }
        return new Run(snapshots(topics), checkpoints(dir), steps, samples, offsets);
    }

    /** The uninterrupted run, shared by the tests as their reference. */
    private static synchronized Run reference() throws Exception {
        if (reference == null) {
            Topics topics = createTopics("ref.");
            List<Long> offsets = produce(topics, 0, RECORDS.size());
            Path dir = tmp.resolve("ref");
            MeterRegistry registry = new SimpleMeterRegistry();
            try (LearnerService service = new LearnerService(config(topics, dir), client(), registry)) {
                service.start();
                awaitSteps(service, registry, Map.of("a", 19, "b", 7));
                awaitEmptyReadAhead(registry);
            }
            reference = finish(topics, dir, offsets, List.of(registry));
        }
        return reference;
    }

    private static List<Long> versions(List<ModelSnapshot> snapshots) {
        return snapshots.stream().map(ModelSnapshot::getVersion).toList();
    }

    /** Offset of the {@code index}-th record of {@code stream} in the training topic. */
    private static long offsetOf(Run run, String stream, int index) {
        int seen = 0;
        for (int i = 0; i < RECORDS.size(); i++) {
            if (RECORDS.get(i).getStream().equals(stream) && seen++ == index) {
                return run.offsets().get(i);
            }
        }
        throw new IllegalArgumentException(stream + " has no record " + index);
    }

    @Test
    void snapshotsFollowThePlanCarryTheBoundaryAndReWarmAndTheModelLearns() throws Exception {
        Run run = reference();
        List<ModelSnapshot> a = run.snapshots().get("a");
        List<ModelSnapshot> b = run.snapshots().get("b");
        assertThat(versions(a)).containsExactly(0L, 4L, 8L, 10L, 11L, 12L, 16L);
        // boundary contract: v10 (b = 10, b mod rho = 2) is t0's last iteration and is labelled t0 (it used to be t1)
        assertThat(a).extracting(ModelSnapshot::getTask).containsExactly("t0", "t0", "t0", "t0", "t1", "t1", "t1");
        assertThat(a.get(0).getSeenTasks()).containsExactly("t0");
        assertThat(a.get(3).getSeenTasks()).containsExactly("t0", "t1");
        assertThat(a.get(6).getSeenTasks()).containsExactly("t0", "t1");
        // re-warm over 1 step: the first step after the boundary runs at the peak 0.1 (it used to run at 0)
        // and changes the weights; the next starts the decay from the peak, above the decayed v8
        assertThat(a.get(4).getLearningRate()).isCloseTo(0.1, within(1e-12));
        assertThat(a.get(4).getParametersCrc32c()).isNotEqualTo(a.get(3).getParametersCrc32c());
        assertThat(a.get(5).getLearningRate()).isCloseTo(0.1, within(1e-12));
        assertThat(a.get(2).getLearningRate()).isBetween(0.02, 0.095);
        // b's boundary comes at iteration 4 (b mod rho = 0), which the period had already published under t0
        assertThat(versions(b)).containsExactly(0L, 4L, 5L, 6L);
        assertThat(b).extracting(ModelSnapshot::getTask).containsExactly("t0", "t0", "t1", "t1");

        assertThat(run.steps()).containsEntry("a", 19.0).containsEntry("b", 7.0);
        assertThat(run.samples()).containsEntry("a", 588.0).containsEntry("b", 196.0);
        JsonNode ca = run.checkpoints().get("a");
        assertThat(ca.get("version").asLong()).isEqualTo(19);
        assertThat(ca.get("samples_trained").asLong()).isEqualTo(588);
        assertThat(ca.get("tasks").toString()).isEqualTo("[\"t0\",\"t1\"]");
        assertThat(ca.get("boundary_iteration").asLong()).isEqualTo(10);
        long resume = ca.get("offsets").get("ref.train-0").asLong();
        assertThat(resume).isGreaterThan(offsetOf(run, "a", 587)).isLessThanOrEqualTo(offsetOf(run, "a", 588));
        assertThat(run.checkpoints().get("b").get("samples_trained").asLong()).isEqualTo(196);

        // the snapshots rebuild the model the evaluator will score: t0 learnt by the boundary, then t1 learnt
        List<Sample> test = TwoTasks.samples("a", 500, 99);
        assertThat(accuracy(a.get(3), test.subList(0, 500))).as("t0 accuracy of v10").isGreaterThan(0.8);
        assertThat(accuracy(a.get(6), test.subList(500, 1000)))
                .as("t1 accuracy of v16 above v10's").isGreaterThan(accuracy(a.get(3), test.subList(500, 1000)) + 0.1);
    }

    private static double accuracy(ModelSnapshot snapshot, List<Sample> test) {
        float[] x = new float[test.size() * TwoTasks.DIM];
        int[] y = new int[test.size()];
        for (int i = 0; i < test.size(); i++) {
            System.arraycopy(Features.toArray(test.get(i).getFeatures()), 0, x, i * TwoTasks.DIM, TwoTasks.DIM);
            y[i] = test.get(i).getLabel();
        }
        try (Model model = Models.create(ModelSpecCodec.decode(snapshot.getModelSpec()), 0)) {
            model.loadParameters(ParameterBytes.verifiedParameters(snapshot));
            return model.evaluate(Batch.of(x, y)).accuracy();
        }
    }

    @Test
    void aGracefulStopMidStreamAndARestartEndBitIdenticalWithNothingLostOrTrainedTwice() throws Exception {
        Run ref = reference();
        Topics topics = createTopics("graceful.");
        Path dir = tmp.resolve("graceful");
        int phase1 = 400 + 400 / 3; // a0..a399 and b0..b132: a has 4 samples pending, b 1
        List<Long> offsets = new ArrayList<>(produce(topics, 0, phase1));
        MeterRegistry first = new SimpleMeterRegistry();
        try (LearnerService service = new LearnerService(config(topics, dir), client(), first)) {
            service.start();
            awaitSteps(service, first, Map.of("a", 13, "b", 5));
        }
        assertThat(checkpoints(dir).get("a").get("samples_trained").asLong()).isEqualTo(300 + 3 * 32);
        offsets.addAll(produce(topics, phase1, RECORDS.size()));
        MeterRegistry second = new SimpleMeterRegistry();
        // restarted with the read-ahead off: the same checkpoints resume either way
        try (LearnerService service = new LearnerService(config(topics, dir).withReadAhead(LearnerServiceConfig.ReadAhead.OFF),
                client(), second)) {
            service.start();
            awaitSteps(service, second, Map.of("a", 19 - 13, "b", 7 - 5));
        }
        Run run = finish(topics, dir, offsets, List.of(first, second));
        assertThat(count(second, "clpipe.learner.steps", "a")).isEqualTo(6.0);
        assertSameTraining(run, ref);
        // nothing twice: the two runs together trained exactly what the uninterrupted one did
        assertThat(run.samples()).isEqualTo(ref.samples());
        assertThat(run.steps()).isEqualTo(ref.steps());
        for (String s : List.of("a", "b")) {
            assertThat(versions(run.snapshots().get(s))).as("stream %s published each version once", s)
                    .isEqualTo(versions(ref.snapshots().get(s)));
        }
    }

    @Test
    void aCrashWithoutTheFinalCheckpointResumesFromTheLastPeriodicOneAndEndsBitIdentical() throws Exception {
        Run ref = reference();
        Topics topics = createTopics("crash.");
        Path dir = tmp.resolve("crash");
        int phase1 = 400 + 400 / 3;
        List<Long> offsets = new ArrayList<>(produce(topics, 0, phase1));
        MeterRegistry first = new SimpleMeterRegistry();
        LearnerService crashed = new LearnerService(config(topics, dir), client(), first);
        crashed.start();
        awaitSteps(crashed, first, Map.of("a", 13, "b", 5));
        crashed.abort();
        // checkpoints every 5 steps: a's last is at step 10 (with the boundary applied), b's at step 5
        Map<String, JsonNode> left = checkpoints(dir);
        assertThat(left.get("a").get("version").asLong()).isEqualTo(10);
        assertThat(left.get("b").get("version").asLong()).isEqualTo(5);

        offsets.addAll(produce(topics, phase1, RECORDS.size()));
        MeterRegistry second = new SimpleMeterRegistry();
        try (LearnerService service = new LearnerService(config(topics, dir), client(), second)) {
            service.start();
            awaitSteps(service, second, Map.of("a", 19 - 10, "b", 7 - 5));
        }
        Run run = finish(topics, dir, offsets, List.of(first, second));
        // a re-trained steps 11..13 after the crash, from the same state: no more, no fewer
        assertThat(count(second, "clpipe.learner.steps", "a")).isEqualTo(9.0);
        assertThat(count(second, "clpipe.learner.steps", "b")).isEqualTo(2.0);
        assertSameTraining(run, ref);
        // versions published again after the crash are the same snapshots (idempotent by version)
        for (String s : List.of("a", "b")) {
            Map<Long, Long> crcByVersion = new HashMap<>();
            ref.snapshots().get(s).forEach(x -> crcByVersion.put(x.getVersion(), x.getParametersCrc32c()));
            assertThat(run.snapshots().get(s)).allSatisfy(x ->
                    assertThat(x.getParametersCrc32c()).as("%s v%d", s, x.getVersion()).isEqualTo(crcByVersion.get(x.getVersion())));
            assertThat(run.snapshots().get(s).stream().map(ModelSnapshot::getVersion).distinct().toList())
                    .isEqualTo(versions(ref.snapshots().get(s)));
        }
        assertThat(versions(run.snapshots().get("a"))).containsExactly(0L, 4L, 8L, 10L, 11L, 12L, 11L, 12L, 16L);
    }

    @Test
    void aSecondInstanceTakesOverAPartitionMidStreamAndTheResultIsStillBitIdentical() throws Exception {
        Run ref = reference();
        Topics topics = createTopics("rebalance.", 2);
        Path dir = tmp.resolve("rebalance"); // shared by both instances
        Map<String, Integer> partitions = Map.of("a", 0, "b", 1);
        int phase1 = 400 + 400 / 3;
        List<Long> offsets = new ArrayList<>(produce(topics, 0, phase1, partitions));
        MeterRegistry first = new SimpleMeterRegistry();
        MeterRegistry second = new SimpleMeterRegistry();
        try (LearnerService one = new LearnerService(config(topics, dir), client(), first)) {
            one.start();
            awaitSteps(one, first, Map.of("a", 13, "b", 5));
            // the second instance polls the topic itself (read-ahead off): both ways of reading hand over exactly
            try (LearnerService two = new LearnerService(config(topics, dir).withReadAhead(LearnerServiceConfig.ReadAhead.OFF),
                    client(), second)) {
                two.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (second.find("clpipe.learner.iteration").gauges().isEmpty()) {
                    assertThat(System.nanoTime()).as("the second instance took over a partition in time").isLessThan(deadline);
                    Thread.sleep(50);
                }
                assertThat(first.find("clpipe.learner.iteration").gauges()).as("the first instance keeps one stream").hasSize(1);
                offsets.addAll(produce(topics, phase1, RECORDS.size(), partitions));
                long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (count(first, "clpipe.learner.steps", "a") + count(second, "clpipe.learner.steps", "a") < 19
                        || count(first, "clpipe.learner.steps", "b") + count(second, "clpipe.learner.steps", "b") < 7) {
                    assertThat(System.nanoTime()).as("both streams finished in time").isLessThan(until);
                    Thread.sleep(50);
                }
            }
        }
        Map<String, JsonNode> ends = checkpoints(dir);
        for (String s : List.of("a", "b")) {
            assertThat(ends.get(s).get("weights_sha256").asText()).as("final weights of %s after the handover", s)
                    .isEqualTo(ref.checkpoints().get(s).get("weights_sha256").asText());
            assertThat(ends.get(s).get("samples_trained").asLong()).isEqualTo(ref.checkpoints().get(s).get("samples_trained").asLong());
        }
        // handed over at a checkpoint on revoke: the two instances together trained each sample once
        assertThat(count(first, "clpipe.learner.samples", "a") + count(second, "clpipe.learner.samples", "a")).isEqualTo(588.0);
        assertThat(count(first, "clpipe.learner.samples", "b") + count(second, "clpipe.learner.samples", "b")).isEqualTo(196.0);
        assertThat(count(second, "clpipe.learner.steps", "a") + count(second, "clpipe.learner.steps", "b"))
                .as("the second instance trained the stream it took over").isPositive();
    }

    @Test
    void aJsonAnnealRequestIsAppliedOnceAcrossRestartsAndTaskStartsOnTheControlTopicAreNot() throws Exception {
        Topics topics = createTopics("control.");
        Path dir = tmp.resolve("control");
        LearnerConfig infinite = LearnerConfig.defaults().withBatchSize(32)
                .withSchedule(new Infinite(0.1, 0.05, 0.01, 2, 4, Infinite.Cooldown.COSINE, 1, 8));
        LearnerServiceConfig config = config(topics, dir).withLearner(infinite);
        produce(topics, 0, 85); // a0..a63 and b0..b20: a takes 2 steps
        MeterRegistry first = new SimpleMeterRegistry();
        LearnerService crashed = new LearnerService(config, client(), first);
        crashed.start();
        awaitSteps(crashed, first, Map.of("a", 2));
        sendControl(topics, AvroSerde.controlEvent().serialize(ControlEvent.newBuilder().setStream("a").setType(ControlType.TASK_START)
                .setTask("t0").setSource("ingest").setReason("test").setTimestamp(0).build()));
        sendControl(topics, "{\"stream\":\"a\",\"control\":\"task-start\",\"task\":\"t9\"}".getBytes(StandardCharsets.UTF_8));
        sendControl(topics, "{\"stream\":\"a\",\"control\":\"anneal\",\"reason\":\"deploy\"}".getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (count(first, "clpipe.learner.anneal.requests", "a") < 1) {
            assertThat(System.nanoTime()).as("the anneal request was applied in time").isLessThan(deadline);
            Thread.sleep(50);
        }
        crashed.abort(); // a's only checkpoint predates the request: the restart must apply it again, once
        MeterRegistry second = new SimpleMeterRegistry();
        try (LearnerService service = new LearnerService(config, client(), second)) {
            service.start();
            awaitSteps(service, second, Map.of("a", 2));
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count(second, "clpipe.learner.anneal.requests", "a") < 1) {
                assertThat(System.nanoTime()).as("the request was applied again after the crash").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        JsonNode a = checkpoints(dir).get("a");
        assertThat(a.get("schedule").get("restarts").asInt()).as("no TASK_START on the control topic re-warms").isZero();
        assertThat(a.get("schedule").get("anneal_step").asLong()).as("annealing").isNotNegative();
        assertThat(a.get("control_offsets").get("0").asLong()).isEqualTo(3);
        assertThat(count(first, "clpipe.learner.boundaries", "a") + count(second, "clpipe.learner.boundaries", "a")).isZero();

        produce(topics, 85, 129); // a64..a95: one more step
        MeterRegistry third = new SimpleMeterRegistry();
        try (LearnerService service = new LearnerService(config, client(), third)) {
            service.start();
            awaitSteps(service, third, Map.of("a", 1));
        }
        assertThat(count(third, "clpipe.learner.anneal.requests", "a")).as("a checkpointed request is not applied again").isZero();
        assertThat(checkpoints(dir).get("a").get("schedule").get("anneal_step").asLong()).isPositive();
    }

    @Test
    void aDamagedCheckpointStopsTheServiceWithTheFileNamed() throws Exception {
        Topics topics = createTopics("damaged.");
        Path dir = tmp.resolve("damaged");
        produce(topics, 0, 85);
        MeterRegistry first = new SimpleMeterRegistry();
        try (LearnerService service = new LearnerService(config(topics, dir), client(), first)) {
            service.start();
            awaitSteps(service, first, Map.of("a", 2));
        }
        Path file = Path.of(checkpoints(dir).get("a").get("file").asText());
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        java.nio.file.Files.write(file, bytes);
        try (LearnerService service = new LearnerService(config(topics, dir), client(), new SimpleMeterRegistry())) {
            service.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (service.isRunning()) {
                assertThat(System.nanoTime()).as("the service stopped in time").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(service.failure()).hasValueSatisfying(e -> assertThat(e).hasStackTraceContaining(file.toString())
                    .hasStackTraceContaining("checksum"));
        }
        // the damaged file is left for the operator, not overwritten by a checkpoint on the way out
        assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(bytes);
    }

    private static void sendControl(Topics topics, byte[] value) throws Exception {
        Properties p = client();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topics.control(), "a", value)).get();
        }
    }

    /** Same final weights (bit for bit), iterations, samples trained and snapshot contents as the reference. */
    private static void assertSameTraining(Run run, Run ref) {
        for (String s : List.of("a", "b")) {
            JsonNode got = run.checkpoints().get(s);
            JsonNode want = ref.checkpoints().get(s);
            assertThat(got.get("weights_sha256").asText()).as("final weights of %s", s).isEqualTo(want.get("weights_sha256").asText());
            assertThat(got.get("version").asLong()).isEqualTo(want.get("version").asLong());
            assertThat(got.get("samples_trained").asLong()).isEqualTo(want.get("samples_trained").asLong());
            assertThat(got.get("replay_size").asLong()).isEqualTo(want.get("replay_size").asLong());
            List<ModelSnapshot> wantSnapshots = ref.snapshots().get(s);
            ModelSnapshot lastGot = run.snapshots().get(s).get(run.snapshots().get(s).size() - 1);
            ModelSnapshot lastWant = wantSnapshots.get(wantSnapshots.size() - 1);
            assertThat(lastGot.getVersion()).isEqualTo(lastWant.getVersion());
            assertThat(lastGot.getParameters()).isEqualTo(lastWant.getParameters());
        }
    }
}
