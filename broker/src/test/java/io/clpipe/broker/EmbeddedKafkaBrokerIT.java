package io.clpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    @Test
    void producesAndConsumesAndKeepsDataAcrossARestartOnTheSamePortAndDirectory(@TempDir Path dataDir) throws Exception {
        List<String> sent = new ArrayList<>();
        int port;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.of(0, dataDir))) {
            port = broker.port();
            broker.createTopics(List.of(new NewTopic("t", 2, (short) 1)));
            try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("t", "k" + (i % 7), "v" + i)).get();
                    sent.add("v" + i);
                }
            }
            assertThat(consumeAll(broker.bootstrapServers(), 100)).containsExactlyInAnyOrderElementsOf(sent);
        }
        // Same data directory and port: the topic and its records survive a restart.
        try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(BrokerConfig.of(port, dataDir))) {
            assertThat(restarted.bootstrapServers()).isEqualTo("localhost:" + port);
            assertThat(consumeAll(restarted.bootstrapServers(), 100)).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void aDataDirectoryInUseIsRefusedWithAClearError(@TempDir Path dataDir) {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(BrokerConfig.of(0, dataDir))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedKafkaBroker.start(BrokerConfig.of(0, dataDir)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use");
            assertThat(first.bootstrapServers()).startsWith("localhost:");
        }
    }

    @Test
    void transactionsCommitOnASingleNode() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral())) {
            broker.createTopics(List.of(new NewTopic("tx", 1, (short) 1)));
            Properties props = producerProps(broker.bootstrapServers());
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx", "a", "committed"));
                producer.commitTransaction();
            }
            Properties consumerProps = consumerProps(broker.bootstrapServers());
            consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
                consumer.subscribe(List.of("tx"));
                List<String> got = poll(consumer, 1);
                assertThat(got).containsExactly("committed");
            }
        }
    }

    @Test
    void clusterFactoryStartsARealBroker() throws Exception {
        try (TestKafkaCluster cluster = KafkaClusters.start()) {
            assertThat(cluster.kind()).isIn("embedded", "testcontainers");
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                    Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()))) {
                TopicCreation.create(admin, List.of(new NewTopic("t", 1, (short) 1)));
            }
            try (KafkaProducer<String, String> producer = producer(cluster.bootstrapServers())) {
                producer.send(new ProducerRecord<>("t", "k", "hello")).get();
            }
            assertThat(consumeAll(cluster.bootstrapServers(), 1)).containsExactly("hello");
        }
    }

    /**
     * Right after {@link EmbeddedKafkaBroker#createTopics} returns, an idempotent producer with five requests in
     * flight gets every record in (KAFKA-15591: on a partition its leader has not opened yet, the first request
     * can be refused, a later one appended, and the first then dropped as out of order).
     */
    @Test
    void anIdempotentProducerWithRequestsInFlightLosesNothingOnTopicsJustCreated() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral())) {
            Properties props = producerProps(broker.bootstrapServers());
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512); // many small requests pipelined per partition
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
            int records = 2_000;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
                for (int t = 0; t < 5; t++) {
                    String topic = "fresh-" + t;
                    broker.createTopics(List.of(new NewTopic(topic, 3, (short) 1)));
                    List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
                    for (int i = 0; i < records; i++) {
                        sent.add(producer.send(new ProducerRecord<>(topic, "k" + (i % 3), "v" + i + "-" + "x".repeat(100))));
                    }
                    producer.flush();
                    for (var f : sent) {
                        f.get();
                    }
                }
            }
            try (org.apache.kafka.clients.admin.Admin admin = broker.admin()) {
                for (int t = 0; t < 5; t++) {
                    String topic = "fresh-" + t;
                    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> ends = new java.util.HashMap<>();
                    for (int p = 0; p < 3; p++) {
                        ends.put(new org.apache.kafka.common.TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
                    }
                    long total = admin.listOffsets(ends).all().get().values().stream().mapToLong(i -> i.offset()).sum();
                    assertThat(total).as("records in %s", topic).isEqualTo(records);
                }
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(producerProps(bootstrap));
    }

    private static Properties producerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return props;
    }

    private static Properties consumerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "g-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return props;
    }

    private static List<String> consumeAll(String bootstrap, int expected) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(bootstrap))) {
            consumer.subscribe(List.of("t"));
            return poll(consumer, expected);
        }
    }

    private static List<String> poll(KafkaConsumer<String, String> consumer, int expected) {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (got.size() < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                got.add(r.value());
            }
        }
        return got;
    }
}
