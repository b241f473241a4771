package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.schemas.Topics;
import java.util.Set;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaAccessErrorTest {

    private final Topics topics = Topics.defaults();
    private final ServiceAcls evaluator = ServiceAcls.evaluator(topics, "clpipe-evaluator", "clpipe-evaluator");

    @Test
    void aDeniedTopicWriteInsideAFailedTransactionNamesWhatTheServiceNeedsOnThatTopic() {
        KafkaException failed = new KafkaException("Cannot execute transactional method because we are in an error state",
                new TopicAuthorizationException(Set.of(topics.metrics())));
        assertThat(KafkaAccessError.explain(evaluator, new IllegalStateException("metrics transaction refused", failed)))
                .hasValueSatisfying(m -> assertThat(m).startsWith("evaluator is not authorized by Kafka")
                        .contains("Missing: READ, WRITE, DESCRIBE on topic clpipe.metrics"));
    }

    @Test
    void aDeniedGroupAndWrongCredentialsAreExplained() {
        assertThat(KafkaAccessError.explain(ServiceAcls.learner(topics, "g1"), GroupAuthorizationException.forGroupId("g1")))
                .hasValueSatisfying(m -> assertThat(m).contains("Missing: READ on group g1"));
        assertThat(KafkaAccessError.explain(evaluator, new SaslAuthenticationException("invalid credentials")))
                .hasValueSatisfying(m -> assertThat(m).startsWith("evaluator could not authenticate to Kafka").contains("sasl.jaas.config"));
    }

    @Test
    void otherFailuresAreLeftAlone() {
        assertThat(KafkaAccessError.explain(evaluator, new TimeoutException("no broker"))).isEmpty();
    }

    @Test
    void prefixedGrantsCoverTheStreamsInternalTopics() {
        ServiceAcls ingest = ServiceAcls.ingest(topics, "clpipe-ingest");
        assertThat(ingest.neededOn(org.apache.kafka.common.resource.ResourceType.TOPIC, "clpipe-ingest-store-changelog"))
                .containsExactly("ALL on topic clpipe-ingest-* (prefixed)");
        assertThat(ingest.neededOn(org.apache.kafka.common.resource.ResourceType.TOPIC, topics.models())).isEmpty();
    }
}
