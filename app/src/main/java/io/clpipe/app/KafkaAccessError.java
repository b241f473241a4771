package io.clpipe.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Turns Kafka's authentication and authorisation failures (fatal for every client: retrying cannot
 * fix a wrong password or a missing ACL) into one line that says what to fix.
 */
final class KafkaAccessError {

    private KafkaAccessError() {
    }

    /** An operator-facing explanation if {@code failure} (or a cause) is an authentication or authorisation error. */
    static Optional<String> explain(ServiceAcls acls, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException) {
                return Optional.of(acls.service() + " could not authenticate to Kafka (" + t.getClass().getSimpleName() + ": "
                        + t.getMessage() + "). Check the credentials in --kafka-config: security.protocol, sasl.mechanism, "
                        + "sasl.jaas.config (user name and password), ssl.truststore.*");
            }
            if (t instanceof AuthorizationException denied) {
                return Optional.of(acls.service() + " is not authorized by Kafka (" + t.getClass().getSimpleName() + ": "
                        + t.getMessage() + "). Missing: " + String.join("; ", missing(acls, denied))
                        + " for this service's principal (see docs/operations.md, Security)");
            }
        }
        return Optional.empty();
    }

    private static List<String> missing(ServiceAcls acls, AuthorizationException denied) {
        List<String> out = new ArrayList<>();
        if (denied instanceof TopicAuthorizationException topics) {
            for (String topic : topics.unauthorizedTopics()) {
                out.addAll(orUnknown(acls.neededOn(ResourceType.TOPIC, topic), "access to topic " + topic));
            }
        } else if (denied instanceof GroupAuthorizationException group && group.groupId() != null) {
            out.addAll(orUnknown(acls.neededOn(ResourceType.GROUP, group.groupId()), "READ on group " + group.groupId()));
        } else if (denied instanceof TransactionalIdAuthorizationException) {
            acls.grants().stream().filter(g -> g.type() == ResourceType.TRANSACTIONAL_ID).map(ServiceAcls.Grant::describe)
                    .forEach(out::add);
        } else if (denied instanceof ClusterAuthorizationException) {
            out.add("a cluster-level permission (IDEMPOTENT_WRITE on the cluster, or WRITE on the topics written)");
        }
        if (out.isEmpty()) {
            acls.grants().stream().map(ServiceAcls.Grant::describe).forEach(out::add);
        }
        return out;
    }

    private static List<String> orUnknown(List<String> needed, String fallback) {
        return needed.isEmpty() ? List.of(fallback) : needed;
    }
}
