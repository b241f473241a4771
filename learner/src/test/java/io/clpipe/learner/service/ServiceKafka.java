package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clpipe.broker.TopicCreation;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.SnapshotAssembler;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the learner service's integration tests do on the broker: create a prefix's topics and wait
 * for their leaders, produce training records, read back every snapshot, describe the checkpoints.
 */
record ServiceKafka(String bootstrapServers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    Properties client() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** Every topic of {@code prefix}, the training topic with {@code trainPartitions} partitions. */
    Topics createTopics(String prefix, int trainPartitions) throws Exception {
        return createTopics(prefix, trainPartitions, 0);
    }

    /** The same, the models topic's {@code max.message.bytes} set to {@code modelsMaxMessageBytes} when positive. */
    Topics createTopics(String prefix, int trainPartitions, int modelsMaxMessageBytes) throws Exception {
        Topics topics = Topics.withPrefix(prefix);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrapServers))) {
            List<TopicSpec> specs = topics.specs().stream()
                    .map(t -> t.name().equals(topics.train()) ? t.withPartitions(trainPartitions) : t)
                    .map(t -> t.name().equals(topics.models()) && modelsMaxMessageBytes > 0 ? capped(t, modelsMaxMessageBytes) : t)
                    .toList();
            TopicCreation.create(admin, specs.stream().map(TopicSpec::newTopic).toList());
            awaitLeaders(admin, specs);
        }
        return topics;
    }

    private static TopicSpec capped(TopicSpec t, int maxMessageBytes) {
        Map<String, String> configs = new HashMap<>(t.configs());
        configs.put("max.message.bytes", Integer.toString(maxMessageBytes));
        return new TopicSpec(t.name(), t.partitions(), configs, Map.of());
    }

    /**
     * Waits until every new partition answers at its leader: producing into a partition whose leader is
     * still being set up gets NOT_LEADER_OR_FOLLOWER, and on a loaded machine the idempotent producer
     * was seen to end in OUT_OF_ORDER_SEQUENCE_NUMBER after such retries.
     */
    private static void awaitLeaders(Admin admin, List<TopicSpec> specs) throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        specs.forEach(t -> {
            for (int p = 0; p < t.partitions(); p++) {
                partitions.put(new TopicPartition(t.name(), p), OffsetSpec.latest());
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                admin.listOffsets(partitions).all().get();
                return;
            } catch (ExecutionException e) {
                assertThat(System.nanoTime()).as("partition leaders ready in time (%s)", e.getCause()).isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    /**
     * Produces {@code records} to the training topic, keyed by stream, into the given partition of each
     * stream ({@code partitions} null: the default partitioner's); returns their offsets.
     */
    List<Long> produce(Topics topics, List<Sample> records, Map<String, Integer> partitions) throws Exception {
        Properties p = client();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        List<Long> offsets = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Sample s : records) {
                Integer partition = partitions == null ? null : partitions.get(s.getStream());
                sent.add(producer.send(new ProducerRecord<>(topics.train(), partition, s.getStream(),
                        AvroSerde.sample().serialize(s))));
            }
            for (var f : sent) {
                offsets.add(f.get().offset());
            }
        }
        return offsets;
    }

    /** Every snapshot on the models topic, by stream, in topic order. */
    Map<String, List<ModelSnapshot>> snapshots(Topics topics) {
        Properties p = client();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("max.partition.fetch.bytes", Integer.toString(Topics.MAX_SNAPSHOT_BYTES));
        Map<String, List<ModelSnapshot>> out = new HashMap<>();
        SnapshotAssembler assembler = new SnapshotAssembler(topics.models());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = consumer.partitionsFor(topics.models()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    for (SnapshotAssembler.Outcome o : assembler.offer(r)) {
                        assertThat(o).as("every snapshot on %s reads back", topics.models()).isInstanceOf(SnapshotAssembler.Outcome.Whole.class);
                        ModelSnapshot s = AvroSerde.modelSnapshot().deserialize(((SnapshotAssembler.Outcome.Whole) o).value());
                        assertThat(s.getStream()).isEqualTo(r.key());
                        out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(s);
                    }
                }
            }
        }
        return out;
    }

    /** {@code inspect-checkpoint}'s description of every checkpoint under {@code dir}, by stream; all must be readable. */
    static Map<String, JsonNode> checkpoints(Path dir) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode n : JSON.readTree(CheckpointInspector.json(dir))) {
            assertThat(n.has("error")).as("checkpoint %s readable", n.path("file").asText()).isFalse();
            out.put(n.get("stream").asText(), n);
        }
        return out;
    }
}
