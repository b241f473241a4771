package io.clpipe.evaluator.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the partitions assigned to a consumer (no group, read_committed) up to the end offsets
 * fetched when the read starts. For read_committed consumers those are the last stable offsets, so
 * a transaction still open is not waited for.
 */
final class TopicReader {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<String, byte[]> consumer;

    TopicReader(Consumer<String, byte[]> consumer) {
        this.consumer = consumer;
    }

    /** Assigns every partition of {@code topic}, failing clearly if the topic does not exist. */
    static List<TopicPartition> partitions(Consumer<?, ?> consumer, String topic,
                                           Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist; create clpipe's topics first "
                    + "(Topics.specs(): clpipe broker and the demo create them)");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    /**
     * Polls until every assigned partition's position reaches the end offset fetched now, handing
     * each record to {@code sink}; false if {@code timeout} passed or {@code keepGoing} turned false
     * first.
     */
    boolean readToEnd(Duration timeout, BooleanSupplier keepGoing, java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(end)) {
            if (!keepGoing.getAsBoolean() || System.nanoTime() - deadline > 0) {
                return false;
            }
            consumer.poll(POLL).forEach(sink);
        }
        return true;
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
