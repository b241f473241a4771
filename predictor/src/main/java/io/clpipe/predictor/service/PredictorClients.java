package io.clpipe.predictor.service;

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
 * The predictor's Kafka clients. The user's client properties (bootstrap servers, security) come
 * first; the settings exactly-once depends on are then forced.
 */
final class PredictorClients {

    private final PredictorServiceConfig config;
    private final Properties clientProperties;

    PredictorClients(PredictorServiceConfig config, Properties clientProperties) {
        this.config = config;
        this.clientProperties = clientProperties;
    }

    /** Group member of the requests topic; offsets are committed only inside prediction transactions. */
    KafkaConsumer<String, byte[]> requestsConsumer() {
        Properties p = consumerBase("-requests");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        if (!"consumer".equalsIgnoreCase(p.getProperty(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"))) {
            p.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxRequestsPerTransaction()));
        return new KafkaConsumer<>(p);
    }

    /** Group-less reader of every models partition (every instance serves every stream it is asked about). */
    KafkaConsumer<String, byte[]> modelsReader() {
        Properties p = consumerBase("-models");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        p.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(Topics.MAX_SNAPSHOT_BYTES));
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "64");
        return new KafkaConsumer<>(p);
    }

    KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-predictions");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private Properties consumerBase(String suffix) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + suffix);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }
}
