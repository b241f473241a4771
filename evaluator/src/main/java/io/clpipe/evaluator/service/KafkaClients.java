package io.clpipe.evaluator.service;

import io.clpipe.schemas.ClientConfig;
import io.clpipe.schemas.ExactlyOnceClients;
import io.clpipe.schemas.Topics;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The evaluator's Kafka clients, each built by {@link ClientConfig}: defaults, then the user's client
 * settings (bootstrap servers, security, tuning), then what exactly-once depends on, forced.
 */
final class KafkaClients {

    private final EvaluatorServiceConfig config;
    private final ExactlyOnceClients clients;

    KafkaClients(EvaluatorServiceConfig config, Properties clientProperties) {
        this.config = config;
        this.clients = new ExactlyOnceClients(config.transactionalId(), clientProperties);
    }

    /**
     * Group member for the models topic; offsets are committed only inside metrics transactions.
     * Evaluators of one group share its partitions.
     */
    KafkaConsumer<String, byte[]> modelsConsumer() {
        return new KafkaConsumer<>(clients.groupMember("evaluator models consumer", "-models", config.groupId(), config.maxSnapshotsPerTransaction())
                .force(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_SNAPSHOT_BYTES)
                .build());
    }

    /** Group-less reader for the eval and metrics topics (positioned by the evaluator, never committed). */
    KafkaConsumer<String, byte[]> reader(String name) {
        return new KafkaConsumer<>(clients.groupLessReader("evaluator " + name + " reader", "-" + name)
                .force(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000)
                .build());
    }

    KafkaProducer<String, byte[]> metricsProducer() {
        return new KafkaProducer<>(clients.transactionalProducer("evaluator metrics producer", "-metrics").build());
    }

    /**
     * Spread scoring: the scorers' replies, read without a group. A short fetch wait: with nothing new the broker
     * holds a fetch that long, and the next batch's replies cannot be fetched on that connection before it returns.
     */
    KafkaConsumer<String, byte[]> scoresReader() {
        return new KafkaConsumer<>(clients.groupLessReader("evaluator scores reader", "-scores")
                .byDefault(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20)
                .build());
    }

    /** Spread scoring: score requests, written without a transaction (a duplicate request is harmless). */
    KafkaProducer<String, byte[]> scoreRequestProducer() {
        return new KafkaProducer<>(clients.idempotentProducer("evaluator score-request producer", "-score-requests")
                .byDefault(ProducerConfig.LINGER_MS_CONFIG, 0)
                .build());
    }
}
