package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

    private static Properties user() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "kafka:9092");
        p.setProperty("linger.ms", "20");
        p.setProperty("isolation.level", "read_uncommitted");
        p.setProperty("group.id", "theirs");
        return p;
    }

    @Test
    void defaultsThenTheUsersSettingsThenWhatIsForced() {
        Properties p = ClientConfig.of("test consumer", user())
                .byDefault("linger.ms", 0)
                .byDefault("max.poll.records", 500)
                .force("isolation.level", "read_committed")
                .force("enable.auto.commit", false)
                .drop("group.id")
                .build();
        assertThat(p).containsOnly(Map.entry("bootstrap.servers", "kafka:9092"), Map.entry("linger.ms", "20"),
                Map.entry("max.poll.records", "500"), Map.entry("isolation.level", "read_committed"),
                Map.entry("enable.auto.commit", "false"));
    }

    @Test
    void theUsersPropertiesAreNotChanged() {
        Properties mine = user();
        ClientConfig.of("test", mine).force("isolation.level", "read_committed").drop("group.id").build();
        assertThat(mine).isEqualTo(user());
    }

    @Test
    void aLaterForceOrDropWinsOverAnEarlierOne() {
        Properties p = ClientConfig.of("test", user()).drop("group.id").force("group.id", "ours").build();
        assertThat(p.getProperty("group.id")).isEqualTo("ours");
        assertThat(ClientConfig.of("test", user()).force("group.id", "ours").drop("group.id").build()).doesNotContainKey("group.id");
    }

    @Test
    void valuesThatAreNoStringsAndDefaultsOfTheUsersPropertiesCount() {
        Properties defaults = new Properties();
        defaults.setProperty("security.protocol", "SASL_SSL");
        Properties mine = new Properties(defaults);
        mine.put("max.in.flight.requests.per.connection", 5);
        Properties p = ClientConfig.of("test", mine).byDefault("max.in.flight.requests.per.connection", 1).build();
        assertThat(p.get("max.in.flight.requests.per.connection")).isEqualTo(5);
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
    }
}
