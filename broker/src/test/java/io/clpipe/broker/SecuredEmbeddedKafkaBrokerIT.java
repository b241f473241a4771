package io.clpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker secured: SASL_SSL + SCRAM-SHA-512 over TLS, StandardAuthorizer ACLs. */
class SecuredEmbeddedKafkaBrokerIT {

    @Test
    void scramUsersWorkWithinTheirAclsAndNobodyElseGetsIn(@TempDir Path dir) throws Exception {
        BrokerSecurity security = TestTls.create(dir);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.ephemeral().withSecurity(security))) {
            assertThat(broker.secured()).isTrue();
            broker.createTopics(List.of(new NewTopic("t", 1, (short) 1)));
            try (var admin = broker.admin()) {
                new SecurityAdmin(admin).user("alice", "alice-secret").user("bob", "bob-secret")
                        .allow("alice", ResourceType.TOPIC, "t", PatternType.LITERAL, AclOperation.WRITE, AclOperation.READ,
                                AclOperation.DESCRIBE)
                        .allow("alice", ResourceType.GROUP, "g", PatternType.LITERAL, AclOperation.READ)
                        .allow("alice", ResourceType.TRANSACTIONAL_ID, "tx-", PatternType.PREFIXED, AclOperation.WRITE,
                                AclOperation.DESCRIBE)
                        .apply();
            }
            // A transactional write needs the broker's own (super user) inter-broker connection for the markers.
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producer(broker, security, "alice", "alice-secret", "tx-1"))) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("t", "k", "v" + i));
                }
                producer.commitTransaction();
            }
            Properties c = client(broker, security, "alice", "alice-secret");
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            List<String> got = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("t"));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (got.size() < 10 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        got.add(r.value());
                    }
                }
            }
            assertThat(got).hasSize(10).startsWith("v0").endsWith("v9");

            try (KafkaProducer<String, String> wrong = new KafkaProducer<>(producer(broker, security, "alice", "not-her-password", null))) {
                assertThatThrownBy(() -> wrong.send(new ProducerRecord<>("t", "k", "v")).get(60, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SaslAuthenticationException.class);
            }
            try (KafkaProducer<String, String> noAcl = new KafkaProducer<>(producer(broker, security, "bob", "bob-secret", null))) {
                assertThatThrownBy(() -> noAcl.send(new ProducerRecord<>("t", "k", "v")).get(60, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    private static Properties client(EmbeddedKafkaBroker broker, BrokerSecurity security, String user, String password) {
        Properties p = EmbeddedKafkaBroker.clientSecurityProperties(security.trustStore(), security.storePassword(), user, password);
        p.put("bootstrap.servers", broker.bootstrapServers());
        return p;
    }

    private static Properties producer(EmbeddedKafkaBroker broker, BrokerSecurity security, String user, String password,
                                       String transactionalId) {
        Properties p = client(broker, security, user, password);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return p;
    }
}
