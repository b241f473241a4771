package io.clpipe.learner.service;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.ControlJson;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator events from the control topic. Read by every learner instance from every partition
 * (assigned, no consumer group): the control topic's partitioning need not match the training
 * topic's, and each instance applies the events of the streams it owns. How far each stream got is
 * in its checkpoint; restoring a stream rewinds this reader to there, and events a stream has seen
 * are skipped. A fresh reader starts at the end: events from before a stream was first seen do not
 * apply to it.
 */
final class ControlChannel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlChannel.class);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    /** One decoder for the channel: building an Avro serde scans the class path. */
    private final AvroSerde<ControlEvent> events = AvroSerde.controlEvent();
    private List<TopicPartition> partitions = List.of();

    ControlChannel(Consumer<String, byte[]> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
    }

    void open() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            log.warn("Control topic {} does not exist: anneal requests will not be applied", topic);
            return;
        }
        partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
    }

    /** Where the reader stands now: a new stream applies events from here on. */
    Map<Integer, Long> positions() {
        Map<Integer, Long> out = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            out.put(tp.partition(), consumer.position(tp));
        }
        return out;
    }

    /** Moves back so that events from {@code positions} on are read again (a restored stream's progress). */
    void rewindTo(Map<Integer, Long> positions) {
        for (TopicPartition tp : partitions) {
            Long target = positions.get(tp.partition());
            if (target != null && target < consumer.position(tp)) {
                consumer.seek(tp, target);
            }
        }
    }

    /** Reads what has arrived, hands each event to its stream's learner if owned here, records progress. */
    void poll(Function<String, StreamLearner> owner, Collection<StreamLearner> owned) {
        if (partitions.isEmpty()) {
            return;
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ZERO)) {
            StreamLearner learner = r.key() == null ? null : owner.apply(r.key());
            if (learner == null) {
                continue;
            }
            ControlEvent event;
            try {
                // Avro as ingest and the learner write it, or the JSON form users produce with kcat (docs/records.md)
                event = ControlJson.maybeJson(r.value())
                        ? ControlJson.parse(r.value(), r.key(), r.timestamp()).orElseThrow(() -> new IllegalArgumentException("no 'control' field"))
                        : events.deserialize(r.value());
                if (event.getType() == ControlType.TASK_START && ControlJson.maybeJson(r.value())) {
                    log.warn("Control record {}-{}@{} is a user's task-start: it is not applied here. Produce it to the samples "
                            + "topic, where it takes effect at its position in the stream (clpipe control task-start, docs/records.md)",
                            r.topic(), r.partition(), r.offset());
                }
            } catch (RuntimeException e) {
                log.warn("Control record {}-{}@{} is not a control event, ignored: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                continue;
            }
            learner.control(r.partition(), r.offset(), event);
        }
        for (TopicPartition tp : partitions) {
            long position = consumer.position(tp);
            owned.forEach(s -> s.controlSeenUpTo(tp.partition(), position));
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
