package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.EvaluationPlan;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer loop on a {@link MockConsumer}: records decoded ahead on the second thread are
 * trained in order, and those of a partition taken away while they waited are not trained — the
 * partition is re-read from its checkpoint instead. Stream "a" of {@link TwoTasks}, 100 + 100
 * records, batch 32: 7 steps, 196 samples.
 */
class TrainLoopTest {

    private static final Topics TOPICS = Topics.withPrefix("loop.");
    private static final TopicPartition TP = new TopicPartition(TOPICS.train(), 0);
    private static final List<Sample> RECORDS = TwoTasks.samples("a", 100, 5);
    private static final int TRAINED = 196;

    @TempDir
    Path tmp;

    private static LearnerServiceConfig config(Path dir) {
        return LearnerServiceConfig.defaults(dir).withTopics(TOPICS).withModels(new ModelTemplate.Mlp(new int[] {16}, 2))
                .withLearner(LearnerConfig.defaults().withBatchSize(32)).withPlan(EvaluationPlan.every(2))
                .withCheckpointEverySteps(100).withPollTimeout(Duration.ofMillis(10));
    }

    private static ConsumerRecord<String, byte[]> record(int offset) {
        return new ConsumerRecord<>(TP.topic(), TP.partition(), offset, "a", AvroSerde.sample().serialize(RECORDS.get(offset)));
    }

    private static void add(MockConsumer<String, byte[]> consumer, int from, int to) {
        for (int i = from; i < to; i++) {
            consumer.addRecord(record(i));
        }
    }

    /**
     * Runs the loop until every trainable sample is trained, or until the consumer has delivered its
     * scheduled polls and a few empty ones (a wrong loop trains fewer); returns the final checkpoint's description.
     */
    private static JsonNode run(Path dir, MockConsumer<String, byte[]> consumer, MeterRegistry registry) throws Exception {
        AtomicBoolean drained = new AtomicBoolean();
        for (int i = 0; i < 3; i++) {
            consumer.schedulePollTask(() -> { });
        }
        consumer.schedulePollTask(() -> drained.set(true));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        MemoryOutput output = new MemoryOutput();
        StreamLearner.Context ctx = new StreamLearner.Context(config(dir).learner(), config(dir).plan(), output, registry,
                Clock.systemUTC());
        MockConsumer<String, byte[]> controlConsumer = new MockConsumer<>("earliest");
        TrainLoop loop = new TrainLoop(config(dir), consumer, new ControlChannel(controlConsumer, TOPICS.control()), output, ctx);
        loop.run(() -> {
            Counter samples = registry.find("clpipe.learner.samples").counter();
            return drained.get() || samples != null && samples.count() >= TRAINED;
        }, () -> false);
        return ServiceKafka.checkpoints(dir).get("a");
    }

    @Test
    void recordsOfAPartitionReassignedWhileTheyWaitAreReadAgainFromItsCheckpointNotTrainedOutOfOrder() throws Exception {
        MockConsumer<String, byte[]> plain = new MockConsumer<>("earliest");
        plain.schedulePollTask(() -> {
            plain.rebalance(List.of(TP));
            add(plain, 0, RECORDS.size());
        });
        JsonNode reference = run(tmp.resolve("plain"), plain, new SimpleMeterRegistry());
        assertThat(reference.get("samples_trained").asLong()).isEqualTo(TRAINED);
        assertThat(reference.get("version").asLong()).isEqualTo(7);

        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        // poll 1: records 0..49, decoded while nothing trains yet
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            add(consumer, 0, 50);
        });
        // poll 2: records 50..99 are decoded while 0..49 train (one step; 32..49 wait in the batch)
        consumer.schedulePollTask(() -> add(consumer, 50, 100));
        // poll 3, with 50..99 still waiting: the partition is revoked (checkpoint at 32: 32..49 were only
        // batched) and assigned again, so the loop seeks back to 32 and reads 32.. again
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of());
            consumer.rebalance(List.of(TP));
            add(consumer, 32, RECORDS.size());
        });
        MeterRegistry registry = new SimpleMeterRegistry();
        JsonNode resumed = run(tmp.resolve("reassigned"), consumer, registry);

        assertThat(registry.get("clpipe.learner.checkpoints").counter().count()).as("checkpoints: first seen, on revoke, at the end")
                .isEqualTo(3);
        assertThat(resumed.get("samples_trained").asLong()).as("32..49 trained after the seek back, not skipped for 50..99 decoded before it")
                .isEqualTo(TRAINED);
        assertThat(resumed.get("version").asLong()).isEqualTo(7);
        assertThat(resumed.get("weights_sha256").asText()).isEqualTo(reference.get("weights_sha256").asText());
        assertThat(registry.get("clpipe.learner.samples").counter().count()).as("each sample trained once").isEqualTo(TRAINED);
    }
}
