package io.clpipe.evaluator.service;

import io.clpipe.schemas.ClientConfig;
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

/** A scorer's Kafka clients, built like the evaluator's ({@link KafkaClients}): defaults, the user's settings, then what exactly-once needs. */
final class ScorerClients {

    private final ScorerServiceConfig config;
    private final Properties clientProperties;

    ScorerClients(ScorerServiceConfig config, Properties clientProperties) {
        this.config = config;
        this.clientProperties = clientProperties;
    }

    /** Member of the scorers' group; offsets are committed only inside score transactions. */
    KafkaConsumer<String, byte[]> requestsConsumer() {
        ClientConfig c = consumerBase("scorer requests consumer", "-requests")
                .force(ConsumerConfig.GROUP_ID_CONFIG, config.groupId())
                .force(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxRequestsPerTransaction());
        if (!"consumer".equalsIgnoreCase(c.user(ConsumerConfig.GROUP_PROTOCOL_CONFIG))) {
            c.byDefault(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        return new KafkaConsumer<>(c.build());
    }

    /**
     * Group-less reader of the eval topic (positioned by the scorer, never committed). A short fetch wait, as for
     * {@link #modelsReader}: a fetch the broker holds (nothing new) would delay the next read by up to 500 ms.
     */
    KafkaConsumer<String, byte[]> reader(String name) {
        return new KafkaConsumer<>(consumerBase("scorer " + name + " reader", "-" + name)
                .drop(ConsumerConfig.GROUP_ID_CONFIG)
                .drop(ConsumerConfig.GROUP_PROTOCOL_CONFIG)
                .drop(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG)
                .force(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000)
                .byDefault(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20)
                .build());
    }

    /**
     * Group-less reader of requested snapshots. A fetch returns at most about one snapshot record (1 MiB per
     * partition; a larger record batch is still returned whole): the reader seeks to each requested snapshot, and
     * fetching the 16 MiB after it, then dropping it, cost more broker and CRC work than the scoring itself.
     */
    KafkaConsumer<String, byte[]> modelsReader() {
        return new KafkaConsumer<>(consumerBase("scorer models reader", "-models")
                .drop(ConsumerConfig.GROUP_ID_CONFIG)
                .drop(ConsumerConfig.GROUP_PROTOCOL_CONFIG)
                .drop(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG)
                .force(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000)
                .byDefault(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1 << 20)
                .byDefault(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20)
                .build());
    }

    KafkaProducer<String, byte[]> scoresProducer() {
        return new KafkaProducer<>(ClientConfig.of("scorer scores producer", clientProperties)
                .force(ProducerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-scores")
                .force(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId())
                .force(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .force(ProducerConfig.ACKS_CONFIG, "all")
                .force(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
                .force(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())
                .build());
    }

    private ClientConfig consumerBase(String name, String suffix) {
        return ClientConfig.of(name, clientProperties)
                .force(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + suffix)
                .force(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .force(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .force(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .force(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
                .force(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }
}
