package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.schemas.Topics;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ScorerServiceConfigTest {

    private static Properties props(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsAreTheDeclaredOnes() {
        ScorerServiceConfig c = ScorerServiceConfig.fromProperties(props());
        assertThat(c).isEqualTo(new ScorerServiceConfig(Topics.defaults(), "clpipe-scorer", "clpipe-scorer",
                Duration.ofMillis(500), Duration.ofSeconds(10), 4));
    }

    @Test
    void everyKeyIsRead() {
        ScorerServiceConfig c = ScorerServiceConfig.fromProperties(props("topics.prefix", "lab.", "group.id", " g ",
                "transactional.id", "s-1", "poll.timeout.ms", "100", "catchup.timeout.ms", "2000",
                "max.requests.per.transaction", "8"));
        assertThat(c).isEqualTo(new ScorerServiceConfig(Topics.withPrefix("lab."), "g", "s-1", Duration.ofMillis(100),
                Duration.ofSeconds(2), 8));
        assertThat(ScorerServiceConfig.fromProperties(props("group.id", "g")).transactionalId()).isEqualTo("g");
    }

    @Test
    void badValuesAndUnknownKeysAreRefusedByName() {
        assertThatThrownBy(() -> ScorerServiceConfig.fromProperties(props("poll.timeout.ms", "soon")))
                .hasMessageContaining("scorer setting poll.timeout.ms=soon");
        assertThatThrownBy(() -> ScorerServiceConfig.fromProperties(props("max.requests.per.transaction", "0")))
                .hasMessageContaining("max.requests.per.transaction must be > 0");
        assertThatThrownBy(() -> ScorerServiceConfig.fromProperties(props("eval.set.size", "10")))
                .hasMessageContaining("unknown scorer settings [eval.set.size]");
    }
}
