package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.broker.TopicCreation;
import io.clpipe.learner.engine.checkpoint.CheckpointCodec;
import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka checkpoint store on a real broker: checkpoints of ~10 MB on a topic whose records may
 * not exceed the broker's default 1 MB, generations pruned to the last N, another instance (a new
 * store) reading what the first wrote, and a corrupt or truncated newest generation refused in favour
 * of the previous one.
 */
class KafkaCheckpointStoreIT {

    private static TestKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaClusters.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Properties client() {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }

    /** The checkpoints topic as recommended, but with the broker's default record limit spelled out. */
    private static String createTopic(String prefix, int partitions) throws Exception {
        Topics topics = Topics.withPrefix(prefix);
        TopicSpec spec = topics.spec(topics.checkpoints()).withPartitions(partitions);
        assertThat(spec.configs()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .doesNotContainKey(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicCreation.create(admin, List.of(spec.newTopic().configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588"))));
        }
        return topics.checkpoints();
    }

    private static LearnerState state(long iteration, String stream, long offset) {
        return state(iteration, 3000, stream, offset);
    }

    private static LearnerState state(long iteration, int replayed, String stream, long offset) {
        return TestStates.state(iteration, replayed, 784, Map.of("stream", stream, "train.offset", Long.toString(offset)));
    }

    @Test
    void bigCheckpointsGoThroughInChunksAndAnotherInstanceResumesTheNewestGeneration() throws Exception {
        String topic = createTopic("big.", 3);
        LearnerState last = null;
        try (KafkaCheckpointStore store = new KafkaCheckpointStore(topic, client(), 2, CheckpointChunks.DEFAULT_CHUNK_BYTES)) {
            for (long g = 1; g <= 4; g++) {
                last = state(g, "a", 100 * g);
                store.write("clpipe.train", 1, "a", last);
            }
            store.write("clpipe.train", 0, "b", state(9, "b", 7));
        }
        assertThat(CheckpointCodec.encode(last).length).isGreaterThan(9 << 20);

        try (KafkaCheckpointStore other = new KafkaCheckpointStore(topic, client(), 2, CheckpointChunks.DEFAULT_CHUNK_BYTES)) {
            List<LearnerState> p1 = other.readPartition("clpipe.train", 1);
            assertThat(p1).hasSize(1);
            assertThat(p1.get(0).iteration()).isEqualTo(4);
            assertThat(Arrays.equals(p1.get(0).parameters(), last.parameters())).isTrue();
            assertThat(p1.get(0).replay().size()).isEqualTo(3000);
            assertThat(other.readPartition("clpipe.train", 0)).extracting(LearnerState::iteration).containsExactly(9L);
            assertThat(other.readPartition("clpipe.train", 2)).isEmpty();
            // generations 1 and 2 were tombstoned when 3 and 4 were written
            assertThat(other.manifests().get("a")).extracting(CheckpointManifest::generation).containsExactly(3L, 2L);
            // the new owner continues the numbering
            other.write("clpipe.train", 1, "a", state(5, "a", 500));
            assertThat(other.manifests().get("a")).extracting(CheckpointManifest::generation).containsExactly(4L, 3L);
        }
    }

    @Test
    void aCorruptOrTruncatedNewestGenerationIsRefusedAndThePreviousOneIsUsed() throws Exception {
        String topic = createTopic("corrupt.", 1);
        try (KafkaCheckpointStore store = new KafkaCheckpointStore(topic, client(), 3, 64 * 1024)) {
            for (long g = 1; g <= 3; g++) {
                store.write("clpipe.train", 0, "s", state(g, 300, "s", 10 * g));
            }
        }
        List<CheckpointManifest> generations;
        try (KafkaCheckpointStore reader = new KafkaCheckpointStore(topic, client(), 3, 64 * 1024)) {
            generations = reader.manifests().get("s");
        }
        assertThat(generations).extracting(CheckpointManifest::iteration).containsExactly(3L, 2L, 1L);
        CheckpointManifest newest = generations.get(0);
        assertThat(newest.chunks()).isGreaterThan(10);

        overwrite(topic, newest.chunkKey(newest.chunks() / 2), "not the bytes that were checkpointed".getBytes());
        try (KafkaCheckpointStore reader = new KafkaCheckpointStore(topic, client(), 3, 64 * 1024)) {
            assertThat(reader.readPartition("clpipe.train", 0)).extracting(LearnerState::iteration).containsExactly(2L);
        }

        CheckpointManifest second = generations.get(1);
        overwrite(topic, second.chunkKey(second.chunks() - 1), null); // a tombstoned chunk: a truncated generation
        try (KafkaCheckpointStore reader = new KafkaCheckpointStore(topic, client(), 3, 64 * 1024)) {
            assertThat(reader.readPartition("clpipe.train", 0)).extracting(LearnerState::iteration).containsExactly(1L);
        }

        CheckpointManifest first = generations.get(2);
        overwrite(topic, first.key(), "{broken".getBytes());
        try (KafkaCheckpointStore reader = new KafkaCheckpointStore(topic, client(), 3, 64 * 1024)) {
            assertThatThrownBy(() -> reader.readPartition("clpipe.train", 0)).hasMessageContaining("no readable checkpoint generation")
                    .hasMessageContaining("stream s");
        }
    }

    @Test
    void aMissingTopicIsAClearError() {
        assertThatThrownBy(() -> new KafkaCheckpointStore("no-such.checkpoints", client(), 2, 1024))
                .hasMessageContaining("checkpoint topic no-such.checkpoints does not exist");
    }

    private static void overwrite(String topic, String key, byte[] value) throws Exception {
        Properties p = client();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, 0, key, value)).get();
        }
    }
}
