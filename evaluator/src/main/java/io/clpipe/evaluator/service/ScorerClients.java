package io.clpipe.evaluator.service;

import io.clpipe.schemas.ExactlyOnceClients;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/** A scorer's Kafka clients, built like the evaluator's ({@link KafkaClients}): defaults, the user's settings, then what exactly-once needs. */
final class ScorerClients {

    private final ScorerServiceConfig config;
    private final ExactlyOnceClients clients;

    ScorerClients(ScorerServiceConfig config, Properties clientProperties) {
        this.config = config;
        this.clients = new ExactlyOnceClients(config.transactionalId(), clientProperties);
    }

    /** Member of the scorers' group; offsets are committed only inside score transactions. */
    KafkaConsumer<String, byte[]> requestsConsumer() {
        return new KafkaConsumer<>(clients.groupMember("scorer requests consumer", "-requests", config.groupId(), config.maxRequestsPerTransaction())
                .build());
    }

    /**
     * Group-less reader of the eval topic (positioned by the scorer, never committed). A short fetch wait, as for
     * {@link #modelsReader}: a fetch the broker holds (nothing new) would delay the next read by up to 500 ms.
     */
    KafkaConsumer<String, byte[]> reader(String name) {
        return new KafkaConsumer<>(clients.groupLessReader("scorer " + name + " reader", "-" + name)
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
        return new KafkaConsumer<>(clients.groupLessReader("scorer models reader", "-models")
                .force(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000)
                .byDefault(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1 << 20)
                .byDefault(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20)
                .build());
    }

    KafkaProducer<String, byte[]> scoresProducer() {
        return new KafkaProducer<>(clients.transactionalProducer("scorer scores producer", "-scores").build());
    }
}
