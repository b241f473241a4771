package io.clpipe.schemas;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The client settings of a service that consumes, transforms and produces exactly once (evaluator, scorer,
 * predictor), each a {@link ClientConfig}: clpipe's defaults, the user's client settings, then what exactly-once
 * depends on, forced. Client ids are the instance's transactional id plus a suffix, so they are unique per instance.
 * Callers add what is theirs (poll sizes, fetch sizes) before {@link ClientConfig#build()}.
 */
public final class ExactlyOnceClients {

    private final String instanceId;
    private final Properties user;

    /** @param instanceId the instance's transactional id; @param user the user's client settings */
    public ExactlyOnceClients(String instanceId, Properties user) {
        this.instanceId = instanceId;
        this.user = user;
    }

    /** A read_committed consumer of String keys and byte values that never commits by itself. */
    public ClientConfig consumer(String name, String suffix) {
        return ClientConfig.of(name, user)
                .force(ConsumerConfig.CLIENT_ID_CONFIG, instanceId + suffix)
                .force(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .force(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .force(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .force(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
                .force(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    /**
     * A group member whose offsets are committed only inside the service's transactions; with the classic group
     * protocol it assigns cooperatively, so instances joining or leaving move only the partitions that change owner.
     */
    public ClientConfig groupMember(String name, String suffix, String groupId, int maxPollRecords) {
        ClientConfig c = consumer(name, suffix)
                .force(ConsumerConfig.GROUP_ID_CONFIG, groupId)
                .force(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        if (!"consumer".equalsIgnoreCase(c.user(ConsumerConfig.GROUP_PROTOCOL_CONFIG))) {
            c.byDefault(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        return c;
    }

    /** A reader without a group, positioned by the service and never committed. */
    public ClientConfig groupLessReader(String name, String suffix) {
        return consumer(name, suffix)
                .drop(ConsumerConfig.GROUP_ID_CONFIG)
                .drop(ConsumerConfig.GROUP_PROTOCOL_CONFIG)
                .drop(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    }

    /** The instance's transactional producer (String keys, byte values). */
    public ClientConfig transactionalProducer(String name, String suffix) {
        return idempotent(name, suffix).force(ProducerConfig.TRANSACTIONAL_ID_CONFIG, instanceId);
    }

    /** An idempotent producer outside any transaction. */
    public ClientConfig idempotentProducer(String name, String suffix) {
        return idempotent(name, suffix).drop(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    }

    private ClientConfig idempotent(String name, String suffix) {
        return ClientConfig.of(name, user)
                .force(ProducerConfig.CLIENT_ID_CONFIG, instanceId + suffix)
                .force(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .force(ProducerConfig.ACKS_CONFIG, "all")
                .force(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
                .force(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }
}
