package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.schemas.EvaluationPlan;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval.max.lag} on the real broker: with no evaluator progress the learner stops taking batches once it is
 * more than N snapshots ahead of the evaluator group's committed models offsets, stays a group member, and goes on
 * when the group commits. The models topic is capped at 1 MiB, so each 1.07 MB snapshot is a chunk set.
 * The stand-in evaluator commits offsets for the group as the evaluator's metrics transactions do.
 */
class EvalBackPressureIT {

    private static final int MAX_LAG = 3;
    private static final String EVAL_GROUP = "bp-evaluator";
    /** Stream "a" of TwoTasks, batch 32, no linger: 19 steps (see LearnerServiceIT), a snapshot after each. */
    private static final int STEPS = 19;

    private static TestKafkaCluster kafka;
    private static ServiceKafka broker;

    @TempDir
    Path checkpoints;

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

    @Test
    void theLearnerWaitsAtTheBoundWhileTheEvaluatorIsStoppedAndGoesOnAsItCommits() throws Exception {
        Topics topics = broker.createTopics("bp.", 1, 1 << 20);
        broker.produce(topics, TwoTasks.samples("a", 300, 11), null);
        LearnerServiceConfig config = LearnerServiceConfig.defaults(checkpoints).withTopics(topics).withGroupId("bp-learner")
                .withModels(new ModelTemplate.Mlp(new int[] {512, 512}, 2)).withLearner(LearnerConfig.defaults().withBatchSize(32))
                .withPlan(EvaluationPlan.boundaryDense(1, 1)).withPollTimeout(Duration.ofMillis(100)).withBatchLingerMs(-1)
                .withSnapshotFlow(SnapshotFlow.DEFAULTS.withEvalMaxLag(MAX_LAG, EVAL_GROUP));
        MeterRegistry registry = new SimpleMeterRegistry();
        TopicPartition models = new TopicPartition(topics.models(), 0);
        try (LearnerService service = new LearnerService(config, broker.client(), registry);
             KafkaConsumer<String, byte[]> evaluator = evaluatorGroup()) {
            service.start();

            await(() -> holds(registry) == 1 && held(registry), service, "the learner to wait for the stopped evaluator");
            List<ModelSnapshot> first = broker.snapshots(topics).get("a");
            assertThat(first).as("exactly eval.max.lag + 1 snapshots ahead of an evaluator that committed nothing")
                    .hasSize(MAX_LAG + 1);
            assertThat(first.get(0).getParameterCount()).isGreaterThan(250_000); // > 1 MiB of float32: chunked

            commit(evaluator, models, endOffset(evaluator, models)); // the evaluator catches up with those
            await(() -> holds(registry) == 2 && held(registry), service, "the learner to go on and wait again");
            assertThat(broker.snapshots(topics).get("a")).hasSize(2 * (MAX_LAG + 1));

            await(() -> {
                commit(evaluator, models, endOffset(evaluator, models));
                return steps(registry) == STEPS && !held(registry);
            }, service, "the learner to train every batch while the evaluator keeps up");
            assertThat(service.isRunning()).isTrue();
        }
        List<ModelSnapshot> all = broker.snapshots(topics).get("a");
        assertThat(all).as("version 0 (the initial model) and one per step, each once, in order")
                .extracting(ModelSnapshot::getVersion).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(0, STEPS)
                        .boxed().toList());
    }

    private static KafkaConsumer<String, byte[]> evaluatorGroup() {
        Properties p = broker.client();
        p.put("group.id", EVAL_GROUP);
        p.put("enable.auto.commit", "false");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static long endOffset(KafkaConsumer<String, byte[]> c, TopicPartition tp) {
        return c.endOffsets(List.of(tp)).get(tp);
    }

    private static void commit(KafkaConsumer<String, byte[]> c, TopicPartition tp, long offset) {
        c.commitSync(Map.of(tp, new OffsetAndMetadata(offset)));
    }

    private static boolean held(MeterRegistry registry) {
        Gauge g = registry.find(TrainingHold.HELD_GAUGE).gauge();
        return g != null && g.value() == 1;
    }

    private static double holds(MeterRegistry registry) {
        Counter c = registry.find("clpipe.learner.eval.holds").counter();
        return c == null ? 0 : c.count();
    }

    private static double steps(MeterRegistry registry) {
        Counter c = registry.find("clpipe.learner.steps").tag("stream", "a").counter();
        return c == null ? 0 : c.count();
    }

    private static void await(BooleanSupplier condition, LearnerService service, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(service.failure()).isEmpty();
            assertThat(System.nanoTime() - deadline).as("timed out waiting for " + what).isNegative();
            Thread.sleep(50);
        }
    }
}
