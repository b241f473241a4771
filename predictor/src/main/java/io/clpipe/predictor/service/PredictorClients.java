package io.clpipe.predictor.service;

import io.clpipe.schemas.ClientConfig;
import io.clpipe.schemas.ExactlyOnceClients;
import io.clpipe.schemas.Topics;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The predictor's Kafka clients, each built by {@link ClientConfig}: defaults, then the user's client
 * settings (bootstrap servers, security, tuning), then what exactly-once depends on, forced.
 */
final class PredictorClients {

    private final PredictorServiceConfig config;
    private final ExactlyOnceClients clients;

    PredictorClients(PredictorServiceConfig config, Properties clientProperties) {
        this.config = config;
        this.clients = new ExactlyOnceClients(config.transactionalId(), clientProperties);
    }

    /** Group member of the requests topic; offsets are committed only inside prediction transactions. */
    KafkaConsumer<String, byte[]> requestsConsumer() {
        return new KafkaConsumer<>(clients.groupMember("predictor requests consumer", "-requests", config.groupId(), config.maxRequestsPerTransaction())
                .build());
    }

    /** Group-less reader of every models partition (every instance serves every stream it is asked about). */
    KafkaConsumer<String, byte[]> modelsReader() {
        return new KafkaConsumer<>(clients.groupLessReader("predictor models reader", "-models")
                .force(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_SNAPSHOT_BYTES)
                .force(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64)
                .build());
    }

    KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(clients.transactionalProducer("predictor producer", "-predictions")
                .byDefault(ProducerConfig.LINGER_MS_CONFIG, 0)
                .build());
    }
}
