package io.clpipe.app;

import io.clpipe.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs each clpipe service needs on a cluster with an authorizer: the same list that
 * docs/operations.md#security gives, that the secured integration test grants, and that a
 * denied service quotes in its error.
 */
public record ServiceAcls(String service, List<Grant> grants) {

    /** ALLOW {@code operations} on one resource. */
    public record Grant(ResourceType type, String name, PatternType pattern, List<AclOperation> operations) {

        public Grant {
            operations = List.copyOf(operations);
        }

        String describe() {
            return operations.stream().map(o -> o.name()).collect(Collectors.joining(", ")) + " on "
                    + type.name().toLowerCase(Locale.ROOT).replace('_', '-') + " " + name
                    + (pattern == PatternType.PREFIXED ? "* (prefixed)" : "");
        }

        boolean covers(ResourceType resourceType, String resourceName) {
            return type == resourceType && (pattern == PatternType.PREFIXED ? resourceName.startsWith(name) : resourceName.equals(name));
        }
    }

    public ServiceAcls {
        grants = List.copyOf(grants);
    }

    /** Kafka Streams, exactly-once v2: its group, transactional ids and internal (changelog) topics share the application id. */
    public static ServiceAcls ingest(Topics topics, String applicationId) {
        List<Grant> g = new ArrayList<>();
        g.add(topic(topics.samples(), AclOperation.READ, AclOperation.DESCRIBE));
        for (String out : List.of(topics.train(), topics.eval(), topics.dlq(), topics.control())) {
            g.add(topic(out, AclOperation.WRITE, AclOperation.DESCRIBE));
        }
        g.add(new Grant(ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, List.of(AclOperation.ALL)));
        g.add(new Grant(ResourceType.GROUP, applicationId, PatternType.LITERAL, List.of(AclOperation.READ)));
        g.add(new Grant(ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED,
                List.of(AclOperation.WRITE, AclOperation.DESCRIBE)));
        return new ServiceAcls("ingest", g);
    }

    /** The train consumer's group; the control topic is read without a group; snapshots and events by an idempotent producer. */
    public static ServiceAcls learner(Topics topics, String groupId) {
        return learner(topics, groupId, "clpipe-evaluator");
    }

    /**
     * The models topic's configuration is read at start (does a snapshot chunk fit its {@code max.message.bytes}?), and
     * the evaluator group's committed offsets when {@code eval.max.lag} is on (DESCRIBE on a group shows only that).
     */
    public static ServiceAcls learner(Topics topics, String groupId, String evaluatorGroupId) {
        return new ServiceAcls("learner", List.of(
                topic(topics.train(), AclOperation.READ, AclOperation.DESCRIBE),
                topic(topics.control(), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE),
                topic(topics.models(), AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS),
                new Grant(ResourceType.GROUP, groupId, PatternType.LITERAL, List.of(AclOperation.READ)),
                new Grant(ResourceType.GROUP, evaluatorGroupId, PatternType.LITERAL, List.of(AclOperation.DESCRIBE))));
    }

    /** Snapshots by group (offsets committed in the metrics transaction), eval and metrics read without a group. */
    public static ServiceAcls evaluator(Topics topics, String groupId, String transactionalId) {
        return new ServiceAcls("evaluator", List.of(
                topic(topics.models(), AclOperation.READ, AclOperation.DESCRIBE),
                topic(topics.eval(), AclOperation.READ, AclOperation.DESCRIBE),
                topic(topics.metrics(), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE),
                new Grant(ResourceType.GROUP, groupId, PatternType.LITERAL, List.of(AclOperation.READ)),
                new Grant(ResourceType.TRANSACTIONAL_ID, transactionalId, PatternType.LITERAL,
                        List.of(AclOperation.WRITE, AclOperation.DESCRIBE))));
    }

    /** With {@code scoring=spread} the evaluator also writes score requests and reads the scorers' replies (no group). */
    public static ServiceAcls evaluator(Topics topics, String groupId, String transactionalId, boolean spreadScoring) {
        ServiceAcls local = evaluator(topics, groupId, transactionalId);
        if (!spreadScoring) {
            return local;
        }
        List<Grant> g = new ArrayList<>(local.grants());
        g.add(topic(topics.scoreRequests(), AclOperation.WRITE, AclOperation.DESCRIBE));
        g.add(topic(topics.scores(), AclOperation.READ, AclOperation.DESCRIBE));
        return new ServiceAcls("evaluator", g);
    }

    /** Score requests by group (offsets committed in the scores transaction); models and eval read without a group. */
    public static ServiceAcls scorer(Topics topics, String groupId, String transactionalId) {
        return new ServiceAcls("scorer", List.of(
                topic(topics.scoreRequests(), AclOperation.READ, AclOperation.DESCRIBE),
                topic(topics.models(), AclOperation.READ, AclOperation.DESCRIBE),
                topic(topics.eval(), AclOperation.READ, AclOperation.DESCRIBE),
                topic(topics.scores(), AclOperation.WRITE, AclOperation.DESCRIBE),
                new Grant(ResourceType.GROUP, groupId, PatternType.LITERAL, List.of(AclOperation.READ)),
                new Grant(ResourceType.TRANSACTIONAL_ID, transactionalId, PatternType.LITERAL,
                        List.of(AclOperation.WRITE, AclOperation.DESCRIBE))));
    }

    /** Requests by group (offsets committed in the predictions transaction), models read without a group. */
    public static ServiceAcls predictor(Topics topics, String groupId, String transactionalId) {
        return new ServiceAcls("predictor", List.of(
                topic(topics.requests(), AclOperation.READ, AclOperation.DESCRIBE),
                topic(topics.models(), AclOperation.READ, AclOperation.DESCRIBE),
                topic(topics.predictions(), AclOperation.WRITE, AclOperation.DESCRIBE),
                topic(topics.dlq(), AclOperation.WRITE, AclOperation.DESCRIBE),
                new Grant(ResourceType.GROUP, groupId, PatternType.LITERAL, List.of(AclOperation.READ)),
                new Grant(ResourceType.TRANSACTIONAL_ID, transactionalId, PatternType.LITERAL,
                        List.of(AclOperation.WRITE, AclOperation.DESCRIBE))));
    }

    private static Grant topic(String name, AclOperation... operations) {
        return new Grant(ResourceType.TOPIC, name, PatternType.LITERAL, List.of(operations));
    }

    /** What this service needs on one resource, e.g. "WRITE, DESCRIBE on topic clpipe.metrics"; empty if nothing. */
    public List<String> neededOn(ResourceType type, String name) {
        return grants.stream().filter(g -> g.covers(type, name)).map(Grant::describe).toList();
    }
}
