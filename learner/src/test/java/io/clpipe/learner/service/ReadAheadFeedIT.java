package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read-ahead on a real broker, driven as the training loop drives it (assign, poll, revoke): per
 * partition the records come in offset order from where the loop said, decoded; a revoked partition's
 * records never reach the loop, not even those read before the revoke; the queue stays within its
 * bound; a failure of the read-ahead thread is thrown on the loop's thread; closing stops the thread
 * and closes its consumer.
 */
class ReadAheadFeedIT {

    private static final int PER_PARTITION = 300;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    private static TestKafkaCluster kafka;
    private static ServiceKafka broker;
    private static Topics topics;
    private static TopicPartition p0;
    private static TopicPartition p1;
    /** What was produced, by partition: the encoded values, in offset order. */
    private static final Map<TopicPartition, List<byte[]>> produced = new HashMap<>();

    @BeforeAll
    static void fill() throws Exception {
        kafka = KafkaClusters.start();
        broker = new ServiceKafka(kafka.bootstrapServers());
        topics = broker.createTopics("readahead.", 2);
        p0 = new TopicPartition(topics.train(), 0);
        p1 = new TopicPartition(topics.train(), 1);
        Properties p = broker.client();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("batch.size", "4096"); // many small batches: many fetches
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (TopicPartition tp : List.of(p0, p1)) {
                List<byte[]> values = new ArrayList<>();
                for (Sample s : TwoTasks.samples("s" + tp.partition(), PER_PARTITION / 2, 20 + tp.partition())) {
                    values.add(AvroSerde.sample().serialize(s));
                }
                values.set(7, new byte[] {1, 2, 3}); // not a sample: undecodable, the loop skips it with the reason
                for (byte[] v : values) {
                    producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), "s" + tp.partition(), v)).get();
                }
                produced.put(tp, values);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Properties consumerProperties() {
        Properties p = broker.client();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        p.put("auto.offset.reset", "earliest");
        return p;
    }

    /** The loop's side: a consumer standing for the group consumer (assigned by hand here), the feed, its reader. */
    private record Loop(KafkaConsumer<String, byte[]> group, KafkaConsumer<String, byte[]> readerConsumer, ReadAheadBuffer buffer,
                        TrainReadAhead reader, ReadAheadFeed feed) implements AutoCloseable {

        static Loop start(int maxRecords, Properties readerProperties) {
            KafkaConsumer<String, byte[]> group = new KafkaConsumer<>(consumerProperties());
            KafkaConsumer<String, byte[]> readerConsumer = new KafkaConsumer<>(readerProperties);
            ReadAheadBuffer buffer = new ReadAheadBuffer(maxRecords, 1 << 24);
            TrainReadAhead reader = new TrainReadAhead(readerConsumer, buffer, Duration.ofMillis(100), "test-read-ahead");
            return new Loop(group, readerConsumer, buffer, reader, new ReadAheadFeed(group, buffer, reader));
        }

        /** As on a rebalance: the group consumer's assignment changes, then the listener tells the feed. */
        void assign(TopicPartition tp, OptionalLong from) {
            List<TopicPartition> now = new ArrayList<>(group.assignment());
            now.add(tp);
            group.assign(now);
            feed.assigned(tp, from);
        }

        void revoke(TopicPartition tp) {
            feed.revoked(tp);
            group.assign(group.assignment().stream().filter(p -> !p.equals(tp)).toList());
        }

        /** Polls the feed until {@code done} holds of everything received, checking the bound after every poll. */
        List<TrainRecord> drainUntil(Predicate<List<TrainRecord>> done, int maxRecords) {
            List<TrainRecord> got = new ArrayList<>();
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!done.test(got)) {
                assertThat(System.nanoTime()).as("records arrive in time; so far %d", got.size()).isLessThan(deadline);
                got.addAll(feed.poll(Duration.ofMillis(100)));
                assertThat(buffer.records()).as("records queued ahead").isLessThanOrEqualTo(maxRecords);
            }
            return got;
        }

        @Override
        public void close() {
            feed.close();
            group.close();
        }
    }

    private static List<Long> offsets(List<TrainRecord> records, TopicPartition tp) {
        return records.stream().filter(r -> r.partition().equals(tp)).map(TrainRecord::offset).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long o = from; o < to; o++) {
            out.add(o);
        }
        return out;
    }

    private static Predicate<List<TrainRecord>> reached(TopicPartition tp, long lastOffset) {
        return got -> got.stream().anyMatch(r -> r.partition().equals(tp) && r.offset() >= lastOffset);
    }

    @Test
    void eachPartitionComesDecodedInOffsetOrderFromWhereTheLoopSaidAndCloseStopsTheReader() {
        AvroSerde<Sample> serde = AvroSerde.sample();
        List<TrainRecord> got;
        try (Loop loop = Loop.start(64, consumerProperties())) {
            loop.assign(p0, OptionalLong.empty());
            loop.assign(p1, OptionalLong.of(100));
            got = loop.drainUntil(reached(p0, PER_PARTITION - 1).and(reached(p1, PER_PARTITION - 1)), 64);

            loop.close();
            assertThat(loop.reader().isRunning()).as("read-ahead thread after close").isFalse();
            assertThatThrownBy(() -> loop.readerConsumer().assignment()).as("read-ahead consumer closed")
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(offsets(got, p0)).isEqualTo(range(0, PER_PARTITION));
        assertThat(offsets(got, p1)).isEqualTo(range(100, PER_PARTITION));
        for (TrainRecord r : got) {
            byte[] value = produced.get(r.partition()).get((int) r.offset());
            assertThat(r.key()).isEqualTo("s" + r.partition().partition());
            assertThat(r.bytes()).isEqualTo(value.length);
            if (r.offset() == 7) {
                assertThat(r.decodeFailure()).as("undecodable record %s", r.offset()).isNotNull();
                assertThatThrownBy(() -> r.sample(serde)).isSameAs(r.decodeFailure());
            } else {
                assertThat(r.decoded()).as("decoded ahead").isNotNull();
                assertThat(r.sample(serde)).isEqualTo(serde.deserialize(value));
            }
        }
    }

    @Test
    void aRevokedPartitionsRecordsNeverReachTheLoopAndAReassignmentStartsExactlyWhereTheLoopSays() throws Exception {
        Properties small = consumerProperties();
        small.put("max.poll.records", "10");
        int bound = 20;
        try (Loop loop = Loop.start(bound, small)) {
            // only p1: the reader fills the queue with p1 and blocks with one more p1 chunk in hand
            loop.assign(p1, OptionalLong.empty());
            awaitFull(loop, bound);
            loop.revoke(p1);
            loop.assign(p0, OptionalLong.empty());
            List<TrainRecord> afterRevoke = loop.drainUntil(reached(p0, PER_PARTITION - 1), bound);
            assertThat(offsets(afterRevoke, p1)).as("records of p1 read before its revoke").isEmpty();
            assertThat(offsets(afterRevoke, p0)).isEqualTo(range(0, PER_PARTITION));

            // p0 is drained; p1 again from 0, then moved at once to 50: the chunk in the reader's hand is of the old epoch
            loop.assign(p1, OptionalLong.empty());
            awaitFull(loop, bound);
            loop.revoke(p1);
            loop.assign(p1, OptionalLong.of(50));
            List<TrainRecord> again = loop.drainUntil(reached(p1, PER_PARTITION - 1), bound);
            assertThat(offsets(again, p1)).as("p1 re-assigned at 50: nothing read under the previous assignment")
                    .isEqualTo(range(50, PER_PARTITION));
            assertThat(offsets(again, p0)).isEmpty();
        }
    }

    /** Waits, taking nothing, until the queue cannot take another chunk of 10: the reader then waits with one in hand. */
    private static void awaitFull(Loop loop, int bound) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (loop.buffer().records() <= bound - 10) {
            assertThat(System.nanoTime()).as("the read-ahead fills its queue in time").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(loop.buffer().records()).isLessThanOrEqualTo(bound);
    }

    @Test
    void aFailureOfTheReadAheadThreadIsThrownOnTheLoopsThread() {
        Properties strict = consumerProperties();
        strict.put("auto.offset.reset", "none");
        try (Loop loop = Loop.start(64, strict)) {
            loop.assign(p0, OptionalLong.of(10_000)); // beyond the end, and no reset policy: the broker refuses the fetch
            long deadline = System.nanoTime() + LIMIT.toNanos();
            assertThatThrownBy(() -> {
                while (System.nanoTime() < deadline) {
                    loop.feed().poll(Duration.ofMillis(100));
                }
            }).isInstanceOf(OffsetOutOfRangeException.class);
            assertThat(loop.reader().failure()).containsInstanceOf(OffsetOutOfRangeException.class);
        }
    }
}
