package io.clpipe.evaluator.service;

import io.clpipe.schemas.ClientConfig;
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
 * The evaluator's Kafka clients, each built by {@link ClientConfig}: defaults, then the user's client
 * settings (bootstrap servers, security, tuning), then what exactly-once depends on, forced.
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
        ClientConfig c = consumerBase("evaluator models consumer", "-models")
                .force(ConsumerConfig.GROUP_ID_CONFIG, config.groupId())
                .force(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxSnapshotsPerTransaction())
                .force(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_SNAPSHOT_BYTES);
        if (!"consumer".equalsIgnoreCase(c.user(ConsumerConfig.GROUP_PROTOCOL_CONFIG))) {
            // Evaluators joining or leaving move only the partitions that change owner.
            c.byDefault(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        return new KafkaConsumer<>(c.build());
    }

    /** Group-less reader for the eval and metrics topics (positioned by the evaluator, never committed). */
    KafkaConsumer<String, byte[]> reader(String name) {
        return new KafkaConsumer<>(consumerBase("evaluator " + name + " reader", "-" + name)
                .drop(ConsumerConfig.GROUP_ID_CONFIG)
                .drop(ConsumerConfig.GROUP_PROTOCOL_CONFIG)
                .drop(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG)
                .force(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000)
                .build());
    }

    KafkaProducer<String, byte[]> metricsProducer() {
        return new KafkaProducer<>(ClientConfig.of("evaluator metrics producer", clientProperties)
                .force(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-metrics")
                .force(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId())
                .force(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .force(ProducerConfig.ACKS_CONFIG, "all")
                .force(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
                .force(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())
                .build());
    }

    /**
     * Spread scoring: the scorers' replies, read without a group. A short fetch wait: with nothing new the broker
     * holds a fetch that long, and the next batch's replies cannot be fetched on that connection before it returns.
     */
    KafkaConsumer<String, byte[]> scoresReader() {
        return new KafkaConsumer<>(consumerBase("evaluator scores reader", "-scores")
                .drop(ConsumerConfig.GROUP_ID_CONFIG)
                .drop(ConsumerConfig.GROUP_PROTOCOL_CONFIG)
                .drop(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG)
                .byDefault(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20)
                .build());
    }

    /** Spread scoring: score requests, written without a transaction (a duplicate request is harmless). */
    KafkaProducer<String, byte[]> scoreRequestProducer() {
        return new KafkaProducer<>(ClientConfig.of("evaluator score-request producer", clientProperties)
                .force(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-score-requests")
                .drop(ProducerConfig.TRANSACTIONAL_ID_CONFIG)
                .force(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .force(ProducerConfig.ACKS_CONFIG, "all")
                .byDefault(ProducerConfig.LINGER_MS_CONFIG, 0)
                .force(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
                .force(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())
                .build());
    }

    private ClientConfig consumerBase(String name, String suffix) {
        return ClientConfig.of(name, clientProperties)
                .force(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + suffix) // unique per evaluator instance
                .force(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .force(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .force(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .force(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
                .force(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }
}
