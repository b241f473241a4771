package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner's resume on Kafka's MockConsumer: on assignment every checkpoint of the partition is restored and the
 * partition is sought to the smallest checkpointed position, whatever the group committed; each stream skips what
 * it trained already. A run stopped half-way and resumed ends bit-identical to one that never stopped.
 */
class TrainLoopTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final TopicPartition TRAIN_0 = new TopicPartition("clpipe.train", 0);
    private static final TopicPartition CONTROL_0 = new TopicPartition("clpipe.control", 0);
    /** Offsets 0-47 stream a, 48-99 stream b, then both alternating up to 199. */
    private static final List<Sample> RECORDS = records();

    @TempDir
    Path dir;

    private static List<Sample> records() {
        List<Sample> a = TwoTasks.samples("a", 50, 1);
        List<Sample> b = TwoTasks.samples("b", 50, 2);
        List<Sample> out = new ArrayList<>(a.subList(0, 48));
        out.addAll(b.subList(0, 52));
        for (int i = 0; i < 52; i++) {
            out.add(a.get(48 + i));
            if (52 + i < b.size()) {
                out.add(b.get(52 + i));
            }
        }
        return out;
    }

    private LearnerServiceConfig config(String checkpoints) {
        Properties p = new Properties();
        p.setProperty("checkpoint.dir", dir.resolve(checkpoints).toString());
        p.setProperty("model.hidden", "16");
        p.setProperty("model.classes", "2");
        p.setProperty("batch.size", "32");
        p.setProperty("batch.linger.ms", "-1");
        p.setProperty("poll.timeout.ms", "1");
        return LearnerServiceConfig.fromProperties(p);
    }

    private static MockConsumer<String, byte[]> topic(TopicPartition tp, long end) {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updatePartitions(tp.topic(), List.of(new PartitionInfo(tp.topic(), tp.partition(), null, null, null)));
        consumer.updateBeginningOffsets(Map.of(tp, 0L));
        consumer.updateEndOffsets(Map.of(tp, end));
        return consumer;
    }

    /** What one run of the loop did. */
    private record Run(long positionAfterAssignment, Map<String, LearnerState> checkpoints, List<Long> committed) {
    }

    /**
     * Runs a loop over the training records {@code [0, to)} of partition 0 (the group having committed
     * {@code groupOffset}, if any) until a poll returns nothing, then stops it, which checkpoints every stream.
     */
    private Run run(LearnerServiceConfig config, int to, OptionalLong groupOffset) {
        MockConsumer<String, byte[]> train = topic(TRAIN_0, to);
        groupOffset.ifPresent(o -> train.commitSync(Map.of(TRAIN_0, new OffsetAndMetadata(o))));
        long[] position = {-1};
        train.schedulePollTask(() -> {
            train.rebalance(List.of(TRAIN_0));
            position[0] = train.position(TRAIN_0);
            for (int i = 0; i < to; i++) {
                Sample s = RECORDS.get(i);
                train.addRecord(new ConsumerRecord<>(TRAIN_0.topic(), 0, i, s.getStream(), AvroSerde.sample().serialize(s)));
            }
        });
        int[] emptyPolls = {0};
        DirectFeed direct = new DirectFeed(train);
        TrainFeed feed = new TrainFeed() {
            @Override
            public List<TrainRecord> poll(Duration timeout) {
                List<TrainRecord> records = direct.poll(timeout);
                if (records.isEmpty() && position[0] >= 0) {
                    emptyPolls[0]++;
                }
                return records;
            }

            @Override
            public boolean caughtUp(TopicPartition partition) {
                return direct.caughtUp(partition);
            }

            @Override
            public void assigned(TopicPartition partition, OptionalLong from) {
                direct.assigned(partition, from);
            }

            @Override
            public void revoked(TopicPartition partition) {
                direct.revoked(partition);
            }

            @Override
            public void close() {
                direct.close();
            }
        };
        MemoryOutput output = new MemoryOutput();
        StreamContext ctx = new StreamContext(config.learner(), config.plan(), output, new SimpleMeterRegistry(), CLOCK);
        try (DirectoryCheckpointStore store = new DirectoryCheckpointStore(config.checkpointDir())) {
            ControlChannel control = new ControlChannel(topic(CONTROL_0, 0), CONTROL_0.topic());
            new TrainLoop(config, train, feed, control, output, store, ctx, Optional.empty())
                    .run(() -> emptyPolls[0] > 0, () -> false);
            Map<String, LearnerState> states = new TreeMap<>();
            store.readPartition(TRAIN_0.topic(), 0).forEach(s -> states.put(s.callerData().get("stream"), s));
            List<Long> committed = new ArrayList<>();
            Optional.ofNullable(train.committed(java.util.Set.of(TRAIN_0)).get(TRAIN_0)).ifPresent(o -> committed.add(o.offset()));
            return new Run(position[0], states, committed);
        }
    }

    @Test
    void aResumedRunSeeksToTheCheckpointsAndEndsExactlyWhereAnUninterruptedOneEnds() {
        Run whole = run(config("whole"), RECORDS.size(), OptionalLong.empty());
        assertThat(whole.positionAfterAssignment()).isZero();

        LearnerServiceConfig interrupted = config("interrupted");
        Run first = run(interrupted, 100, OptionalLong.empty());
        // a: 48 records → one step, 16 pending from offset 32; b: 52 records, its task changing at the 51st → a step and
        // a boundary step, 2 pending from offset 98. The checkpoints resume there; the group offset is the smaller.
        assertThat(first.checkpoints()).containsOnlyKeys("a", "b");
        assertThat(first.checkpoints().get("a").callerData()).containsEntry("train.offset", "32");
        assertThat(first.checkpoints().get("b").callerData()).containsEntry("train.offset", "98");
        assertThat(first.committed()).containsExactly(32L);

        // The group's committed offset says 150: the checkpoints win, so the partition is read again from a's pending
        // records, and b skips its records 48-97, trained already.
        Run resumed = run(interrupted, RECORDS.size(), OptionalLong.of(150));
        assertThat(resumed.positionAfterAssignment()).isEqualTo(32);

        assertThat(resumed.checkpoints()).containsOnlyKeys("a", "b");
        for (String stream : List.of("a", "b")) {
            LearnerState expected = whole.checkpoints().get(stream);
            LearnerState actual = resumed.checkpoints().get(stream);
            assertThat(actual.iteration()).as(stream).isEqualTo(expected.iteration());
            assertThat(actual.parameters()).as(stream).isEqualTo(expected.parameters());
            assertThat(actual.optimizer().stepCount()).as(stream).isEqualTo(expected.optimizer().stepCount());
        }
        assertThat(resumed.committed()).isEqualTo(whole.committed());
    }
}
