package io.clpipe.harness.chaos;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.SnapshotAssembler;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the chaos harness reads back from the topics (committed records only), to count. */
final class KafkaView {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    /** A training record as ingest routed it. */
    record TrainRecord(int partition, long offset, String sampleId, String task) {
    }

    private final String bootstrap;

    KafkaView(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /**
     * Whether {@code members} members of the consumer group each own a partition and the group has
     * committed an offset on each of the topic's {@code partitions} partitions (all of them work).
     */
    boolean groupBusy(String group, int members, String topic, int partitions) {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            long owning = admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                    .filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
            long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null && e.getValue().offset() > 0).count();
            return owning == members && committed == partitions;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Whether {@code members} members of the scorers' group own request partitions and every one of them has
     * committed offsets on at least one of its partitions (it has scored and committed since it joined).
     */
    boolean groupScoring(String group, int members) {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            var described = admin.describeConsumerGroups(List.of(group)).all().get().get(group).members();
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            long scoring = described.stream().filter(m -> m.assignment().topicPartitions().stream()
                    .anyMatch(tp -> committed.get(tp) != null && committed.get(tp).offset() > 0)).count();
            return described.size() == members && scoring == members;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Every committed training record, by stream, in partition-offset order. */
    Map<String, List<TrainRecord>> train(Topics topics) {
        AvroSerde<Sample> serde = AvroSerde.sample();
        Map<String, List<TrainRecord>> out = new TreeMap<>();
        readAll(topics.train(), r -> {
            Sample s = serde.deserialize(r.value());
            out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new TrainRecord(r.partition(), r.offset(), s.getSampleId(),
                    s.getTask()));
        });
        return out;
    }

    /** Snapshot versions on the models topic, by stream (each version once). */
    Map<String, TreeSet<Long>> snapshotVersions(Topics topics) {
        AvroSerde<ModelSnapshot> serde = AvroSerde.modelSnapshot();
        Map<String, TreeSet<Long>> out = new TreeMap<>();
        SnapshotAssembler chunks = new SnapshotAssembler(topics.models());
        readAll(topics.models(), r -> chunks.offer(r).forEach(o -> {
            if (o instanceof SnapshotAssembler.Outcome.Whole w) {
                out.computeIfAbsent(w.key(), k -> new TreeSet<>()).add(serde.deserialize(w.value()).getVersion());
            }
        }));
        return out;
    }

    /** Iterations of the metrics records, by stream, in topic order (duplicates kept). */
    Map<String, List<Long>> metricsIterations(Topics topics) {
        return iterations(metricsRecords(topics));
    }

    static Map<String, List<Long>> iterations(Map<String, List<IterationMetrics>> records) {
        Map<String, List<Long>> out = new TreeMap<>();
        records.forEach((stream, list) -> out.put(stream, list.stream().map(IterationMetrics::getIteration).toList()));
        return out;
    }

    /** The metrics records, by stream, in topic order (duplicates kept). */
    Map<String, List<IterationMetrics>> metricsRecords(Topics topics) {
        Map<String, List<IterationMetrics>> out = new TreeMap<>();
        readAll(topics.metrics(), r -> {
            IterationMetrics m = MetricsJson.parse(r.value());
            out.computeIfAbsent(m.getStream(), k -> new ArrayList<>()).add(m);
        });
        return out;
    }

    /** Control events of a type, by stream. */
    Map<String, Long> controlEvents(String topic, ControlType type) {
        AvroSerde<ControlEvent> serde = AvroSerde.controlEvent();
        Map<String, Long> out = new HashMap<>();
        readAll(topic, r -> {
            ControlEvent e = serde.deserialize(r.value());
            if (e.getType() == type) {
                out.merge(e.getStream(), 1L, Long::sum);
            }
        });
        return out;
    }

    /** Records on the topic so far (end offsets summed): how far a stage got. */
    long endOffsetSum(String topic) {
        try (KafkaConsumer<String, byte[]> c = consumer("read_uncommitted")) {
            List<TopicPartition> parts = partitions(c, topic);
            return c.endOffsets(parts, READ_TIMEOUT).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private void readAll(String topic, Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> c = consumer("read_committed")) {
            List<TopicPartition> parts = partitions(c, topic);
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic + " up to " + end);
                }
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    each.accept(r);
                }
            }
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, String topic) {
        return c.partitionsFor(topic, READ_TIMEOUT).stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    }

    private KafkaConsumer<String, byte[]> consumer(String isolation) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", isolation);
        p.put("enable.auto.commit", "false");
        p.put("max.partition.fetch.bytes", Integer.toString(Topics.MAX_SNAPSHOT_BYTES));
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
