package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ExactlyOnceClientsTest {

    private static Properties user(String... pairs) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "broker:9092");
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void whatExactlyOnceNeedsWinsOverTheUsersSettingsAndTheRestIsKept() {
        ExactlyOnceClients clients = new ExactlyOnceClients("eval-1", user("isolation.level", "read_uncommitted",
                "enable.auto.commit", "true", "security.protocol", "SASL_SSL", "transactional.id", "theirs"));
        Properties consumer = clients.groupMember("evaluator models consumer", "-models", "g", 16).build();
        assertThat(consumer.getProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
        assertThat(consumer.getProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo("false");
        assertThat(consumer.getProperty(ConsumerConfig.CLIENT_ID_CONFIG)).isEqualTo("eval-1-models");
        assertThat(consumer.getProperty(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("g");
        assertThat(consumer.getProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)).isEqualTo("16");
        assertThat(consumer.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(consumer.getProperty(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG))
                .isEqualTo(CooperativeStickyAssignor.class.getName());

        Properties producer = clients.transactionalProducer("evaluator metrics producer", "-metrics").build();
        assertThat(producer.getProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG)).isEqualTo("eval-1");
        assertThat(producer.getProperty(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
        assertThat(producer.getProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo("true");
        assertThat(clients.idempotentProducer("score requests", "-requests").build())
                .doesNotContainKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    }

    @Test
    void aGroupLessReaderHasNoGroupWhateverTheUserSaysAndTheAssignorIsTheUsersOrNoneWithTheNewProtocol() {
        ExactlyOnceClients clients = new ExactlyOnceClients("p", user("group.id", "theirs", "group.protocol", "consumer"));
        Properties reader = clients.groupLessReader("predictor models reader", "-models").build();
        assertThat(reader).doesNotContainKeys(ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.GROUP_PROTOCOL_CONFIG,
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        assertThat(clients.groupMember("m", "-m", "g", 1).build())
                .doesNotContainKey(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        ExactlyOnceClients ranged = new ExactlyOnceClients("p", user("partition.assignment.strategy", RangeAssignor.class.getName()));
        assertThat(ranged.groupMember("m", "-m", "g", 1).build().getProperty(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG))
                .isEqualTo(RangeAssignor.class.getName());
    }
}
