package io.clpipe.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.app.ServiceAcls;
import io.clpipe.evaluator.service.EvaluatorServiceConfig;
import io.clpipe.evaluator.service.ScorerServiceConfig;
import io.clpipe.ingest.service.IngestService;
import io.clpipe.predictor.service.PredictorServiceConfig;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/kubernetes: the Strimzi {@code KafkaTopic} and {@code KafkaUser} resources are generated
 * from {@link Topics#specs()} and {@link ServiceAcls}, so the cluster gets exactly the topics and
 * grants the code uses. The committed files must equal what this generates (regenerate with
 * {@code -Dclpipe.regenerate.manifests=true}), and every manifest must parse as YAML.
 */
class KubernetesManifestsTest {

    private static final Path DIR = ExternalTool.repoRoot().resolve("deploy/kubernetes");
    /** Strimzi's Kafka cluster name the resources attach to (label strimzi.io/cluster). */
    static final String CLUSTER = "kafka";
    static final int REPLICAS = 3;

    @Test
    void committedTopicsAndUsersAreTheGeneratedOnes() throws IOException {
        Map<String, String> generated = Map.of("topics.yaml", topics(), "users.yaml", users());
        if (Boolean.getBoolean("clpipe.regenerate.manifests")) {
            for (Map.Entry<String, String> e : generated.entrySet()) {
                Files.writeString(DIR.resolve(e.getKey()), e.getValue());
            }
        }
        for (Map.Entry<String, String> e : generated.entrySet()) {
            assertThat(Files.readString(DIR.resolve(e.getKey())))
                    .as("deploy/kubernetes/%s is generated: run this test with -Dclpipe.regenerate.manifests=true", e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void everyManifestParsesAndTheResourcesMatchTheCode() throws IOException {
        Map<String, Map<String, Object>> byKindAndName = new TreeMap<>();
        try (var files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Yaml(new LoaderOptions()).loadAll(Files.readString(file))) {
                    if (doc == null) {
                        continue;
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> resource = (Map<String, Object>) doc;
                    assertThat(resource).as("%s: a Kubernetes object", file).containsKeys("apiVersion", "kind", "metadata");
                    @SuppressWarnings("unchecked")
                    String name = (String) ((Map<String, Object>) resource.get("metadata")).get("name");
                    byKindAndName.put(resource.get("kind") + "/" + name, resource);
                }
            }
        }
        for (TopicSpec spec : Topics.defaults().specs()) {
            assertThat(byKindAndName).containsKey("KafkaTopic/" + spec.name());
        }
        assertThat(byKindAndName).containsKeys("KafkaUser/clpipe-ingest", "KafkaUser/clpipe-learner", "KafkaUser/clpipe-evaluator",
                "KafkaUser/clpipe-predictor", "Deployment/clpipe-ingest", "StatefulSet/clpipe-learner", "StatefulSet/clpipe-evaluator",
                "Deployment/clpipe-predictor");
        for (String workload : List.of("Deployment/clpipe-ingest", "StatefulSet/clpipe-learner", "StatefulSet/clpipe-evaluator",
                "Deployment/clpipe-predictor")) {
            String text = new Yaml().dump(byKindAndName.get(workload));
            assertThat(text).as("%s probes", workload).contains("path: /ready", "path: /health");
            assertThat(text).as("%s runs as non-root", workload).contains("runAsNonRoot: true");
        }
    }

    static String topics() {
        StringBuilder y = new StringBuilder(header("Topics.specs()"));
        for (TopicSpec spec : Topics.defaults().specs()) {
            y.append("---\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: ").append(spec.name())
                    .append("\n  labels:\n    strimzi.io/cluster: ").append(CLUSTER).append("\n    app.kubernetes.io/part-of: clpipe\n")
                    .append("spec:\n  topicName: ").append(spec.name()).append("\n  partitions: ").append(spec.partitions())
                    .append("\n  replicas: ").append(REPLICAS).append('\n');
            if (!spec.configs().isEmpty()) {
                y.append("  config:\n");
                new TreeMap<>(spec.configs()).forEach((k, v) -> y.append("    ").append(k).append(": \"").append(v).append("\"\n"));
            }
        }
        return y.toString();
    }

    static String users() {
        Topics topics = Topics.defaults();
        List<ServiceAcls> services = List.of(ServiceAcls.ingest(topics, IngestService.APPLICATION_ID),
                ServiceAcls.learner(topics, LearnerServiceConfig.DEFAULT_GROUP_ID),
                ServiceAcls.evaluator(topics, EvaluatorServiceConfig.DEFAULT_GROUP_ID, EvaluatorServiceConfig.DEFAULT_GROUP_ID),
                ServiceAcls.predictor(topics, PredictorServiceConfig.DEFAULT_GROUP_ID, PredictorServiceConfig.DEFAULT_GROUP_ID),
                ServiceAcls.scorer(topics, ScorerServiceConfig.DEFAULT_GROUP_ID, ScorerServiceConfig.DEFAULT_GROUP_ID));
        StringBuilder y = new StringBuilder(header("ServiceAcls (default group ids, application id and transactional id)"));
        for (ServiceAcls acls : services) {
            y.append("---\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaUser\nmetadata:\n  name: clpipe-").append(acls.service())
                    .append("\n  labels:\n    strimzi.io/cluster: ").append(CLUSTER).append("\n    app.kubernetes.io/part-of: clpipe\n")
                    .append("spec:\n  authentication:\n    type: scram-sha-512\n  authorization:\n    type: simple\n    acls:\n");
            for (ServiceAcls.Grant g : acls.grants()) {
                List<String> ops = new ArrayList<>();
                g.operations().forEach(o -> ops.add(operation(o)));
                y.append("      - resource:\n          type: ").append(resourceType(g)).append("\n          name: \"").append(g.name())
                        .append("\"\n          patternType: ").append(g.pattern() == PatternType.PREFIXED ? "prefix" : "literal")
                        .append("\n        operations: [").append(String.join(", ", ops)).append("]\n");
            }
        }
        return y.toString();
    }

    private static String header(String from) {
        return "# GENERATED from " + from + " by KubernetesManifestsTest: do not edit; regenerate with\n"
                + "#   mvn -pl app -am verify -Dtest=KubernetesManifestsTest -Dclpipe.regenerate.manifests=true -Dsurefire.failIfNoSpecifiedTests=false\n"
                + "# Strimzi cluster \"" + CLUSTER + "\", replication factor " + REPLICAS + " (docs/operations.md#kubernetes).\n";
    }

    private static String resourceType(ServiceAcls.Grant g) {
        return switch (g.type()) {
            case TOPIC -> "topic";
            case GROUP -> "group";
            case TRANSACTIONAL_ID -> "transactionalId";
            case CLUSTER -> "cluster";
            default -> throw new IllegalArgumentException("no Strimzi resource type for " + g.type());
        };
    }

    /** Strimzi spells operations in CamelCase: Read, Write, Describe, IdempotentWrite, All. */
    private static String operation(AclOperation o) {
        StringBuilder out = new StringBuilder();
        for (String part : o.name().toLowerCase(Locale.ROOT).split("_")) {
            out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return out.toString();
    }
}
