package io.clpipe.evaluator.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics topic read back into the metrics engines (read_committed, no group): from the
 * {@link LedgerPositions} to the topic's end, and at least as far as a {@link LedgerMark} asks.
 * Every evaluator of a group reads every stream's records, so whichever models partition it is
 * given, its engines already hold what the previous owner published.
 */
final class Ledger implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Ledger.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> reader;
    private final String topic;
    private final List<TopicPartition> partitions;
    private final LedgerPositions positions;

    Ledger(org.apache.kafka.clients.consumer.Consumer<String, byte[]> reader, String topic, Duration metadataTimeout, LedgerPositions positions) {
        this.reader = reader;
        this.topic = topic;
        this.positions = positions;
        this.partitions = TopicReader.partitions(reader, topic, metadataTimeout);
        reader.assign(partitions);
    }

    /**
     * Hands every committed record from the positions up to the end offsets of now, and up to the
     * mark's ends, to {@code sink}, then moves the positions there.
     *
     * @param markTimeout how long to wait for the mark's records to become readable (their transaction's
     *                    markers may trail the committed offsets by moments); after it the read ends where
     *                    the topic ends, with a warning
     * @return records read, or −1 if {@code keepGoing} turned false first (positions unchanged)
     */
    long catchUp(LedgerMark mark, Duration markTimeout, BooleanSupplier keepGoing,
                 Consumer<ConsumerRecord<String, byte[]>> sink) {
        for (TopicPartition tp : partitions) {
            Long start = positions.start(tp.partition());
            if (start == null) {
                reader.seekToBeginning(List.of(tp));
            } else {
                reader.seek(tp, start);
            }
        }
        long[] read = {0};
        Consumer<ConsumerRecord<String, byte[]>> counting = r -> {
            read[0]++;
            sink.accept(r);
        };
        if (!new TopicReader(reader).readToEnd(Duration.ofDays(36_500), keepGoing, counting)) {
            return -1;
        }
        long deadline = System.nanoTime() + markTimeout.toNanos();
        while (!reached(mark)) {
            if (!keepGoing.getAsBoolean()) {
                return -1;
            }
            if (System.nanoTime() - deadline > 0) {
                log.warn("Metrics topic {} did not become readable up to {} (a takeover's last committed transaction) within {}; "
                        + "continuing from {}: metrics of that transaction are missing from the engines", topic, mark.ends(),
                        markTimeout, positionsNow());
                break;
            }
            reader.poll(POLL).forEach(counting);
        }
        partitions.forEach(tp -> positions.read(tp.partition(), reader.position(tp)));
        return read[0];
    }

    private boolean reached(LedgerMark mark) {
        for (Map.Entry<Integer, Long> end : mark.ends().entrySet()) {
            TopicPartition tp = new TopicPartition(topic, end.getKey());
            if (partitions.contains(tp) && reader.position(tp) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private Map<Integer, Long> positionsNow() {
        Map<Integer, Long> out = new java.util.TreeMap<>();
        partitions.forEach(tp -> out.put(tp.partition(), reader.position(tp)));
        return out;
    }

    @Override
    public void close() {
        reader.close();
    }
}
