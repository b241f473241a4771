package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void defaultNamesUseTheClpipePrefix() {
        Topics topics = Topics.defaults();

        assertThat(topics.all()).containsExactly("clpipe.samples", "clpipe.train", "clpipe.eval", "clpipe.dlq",
                "clpipe.control", "clpipe.models", "clpipe.metrics", "clpipe.checkpoints", "clpipe.requests", "clpipe.predictions",
                "clpipe.score-requests", "clpipe.scores");
    }

    @Test
    void aPrefixRenamesEveryTopic() {
        Topics topics = Topics.withPrefix("lab-7.");

        assertThat(topics.all()).allMatch(name -> name.startsWith("lab-7."));
        assertThat(topics.models()).isEqualTo("lab-7.models");
        assertThat(Topics.withPrefix("").samples()).isEqualTo("samples");
    }

    @Test
    void illegalTopicNamesAreRefused() {
        assertThatThrownBy(() -> Topics.withPrefix("my prefix/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("illegal topic name \"my prefix/samples\"");
    }

    @Test
    void modelsTopicAndItsProducerFitAFullSizeSnapshot() {
        int mlpSnapshotBytes = 478_410 * 4 + 1024; // 784-400-400-10 in float32 plus the record around it
        TopicSpec models = Topics.defaults().spec("clpipe.models");

        assertThat(Integer.parseInt(models.configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG))).isGreaterThan(mlpSnapshotBytes);
        assertThat(models.producerConfigs().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))
                .isEqualTo(models.configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG));
        assertThat(models.configs()).containsKey(TopicConfig.RETENTION_BYTES_CONFIG);
    }

    @Test
    void everyTopicHasASpecThatBecomesANewTopic() {
        Topics topics = Topics.withPrefix("x.");

        assertThat(topics.specs()).extracting(TopicSpec::name).containsExactlyElementsOf(topics.all());
        NewTopic checkpoints = topics.spec("x.checkpoints").withPartitions(3).newTopic();
        assertThat(checkpoints.name()).isEqualTo("x.checkpoints");
        assertThat(checkpoints.numPartitions()).isEqualTo(3);
        assertThat(checkpoints.configs()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        assertThatThrownBy(() -> topics.spec("clpipe.models")).hasMessageContaining("not one of");
    }
}
