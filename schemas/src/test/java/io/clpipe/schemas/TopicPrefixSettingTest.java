package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class TopicPrefixSettingTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void readsTopicsPrefix() {
        assertThat(TopicPrefixSetting.read("evaluator", props("topics.prefix", "team-a."))).hasValue("team-a.");
    }

    @Test
    void acceptsTheFormerSpellingWhenAlone() {
        assertThat(TopicPrefixSetting.read("evaluator", props("topic.prefix", "old."))).hasValue("old.");
    }

    @Test
    void theCurrentSpellingWinsWhenBothAreSet() {
        assertThat(TopicPrefixSetting.read("ingest", props("topic.prefix", "old.", "topics.prefix", "new."))).hasValue("new.");
    }

    @Test
    void defaultsToClpipeWhenNeitherIsSet() {
        assertThat(TopicPrefixSetting.read("learner", props())).isEmpty();
        assertThat(TopicPrefixSetting.readOrDefault("learner", props("topics.prefix", " "))).isEqualTo(Topics.DEFAULT_PREFIX);
    }
}
