package io.clpipe.evaluator.service;

import io.clpipe.schemas.Topics;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The evaluator's Kafka clients. The user's client properties (bootstrap servers, security) come
 * first; the settings exactly-once depends on are then forced.
 */
final class KafkaClients {

    private final EvaluatorServiceConfig config;
    private final Properties clientProperties;

    KafkaClients(EvaluatorServiceConfig config, Properties clientProperties) {
        this.config = config;
        this.clientProperties = clientProperties;
    }

    /**
     * Group member for the models topic; offsets are committed only inside metrics transactions.
     * Evaluators of one group share its partitions.
     */
    KafkaConsumer<String, byte[]> modelsConsumer() {
        Properties p = consumerBase("-models");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        if (!"consumer".equalsIgnoreCase(p.getProperty(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"))) {
            // Evaluators joining or leaving move only the partitions that change owner.
            p.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxSnapshotsPerTransaction()));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Topics.MAX_SNAPSHOT_BYTES));
        return new KafkaConsumer<>(p);
    }

    /** Group-less reader for the eval and metrics topics (positioned by the evaluator, never committed). */
    KafkaConsumer<String, byte[]> reader(String name) {
        Properties p = consumerBase("-" + name);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        p.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return new KafkaConsumer<>(p);
    }

    KafkaProducer<String, byte[]> metricsProducer() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-metrics");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private Properties consumerBase(String suffix) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + suffix); // unique per evaluator instance
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }
}
