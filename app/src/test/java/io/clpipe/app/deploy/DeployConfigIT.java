package io.clpipe.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clpipe.evaluator.service.EvaluatorServiceConfig;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files checked without running the stack: Prometheus config and alert rules by
 * promtool (including the alert unit tests), the compose file by docker compose, the topic script
 * against {@link Topics#specs()}, and the cross-references between compose, Prometheus and Grafana.
 */
class DeployConfigIT {

    private static final Logger log = LoggerFactory.getLogger(DeployConfigIT.class);
    private static final Path ROOT = ExternalTool.repoRoot();
    private static final Path PROMETHEUS_DIR = ROOT.resolve("deploy/prometheus");

    @TempDir
    Path tmp;

    @Test
    void prometheusConfigAndAlertRulesPassPromtoolAndTheAlertUnitTests() {
        ExternalTool promtool = require("promtool", "Debian package prometheus");
        for (String[] args : List.of(new String[] {"check", "config", "prometheus.yml"}, new String[] {"check", "rules", "alerts.yml"},
                new String[] {"test", "rules", "alerts-test.yml"})) {
            ExternalTool.Result result = promtool.run(PROMETHEUS_DIR, null, args);
            log.info("promtool {}:\n{}", String.join(" ", args), result.output());
            assertThat(result.exitCode()).as("promtool %s:%n%s", String.join(" ", args), result.output()).isZero();
        }
    }

    @Test
    void composeFileValidates() {
        Optional<ExternalTool> docker = ExternalTool.find("docker");
        List<String> prefix = new ArrayList<>();
        ExternalTool tool;
        if (docker.isPresent() && docker.get().run(ROOT, null, "compose", "version").exitCode() == 0) {
            tool = docker.get();
            prefix.add("compose");
        } else {
            tool = require("docker-compose", "the docker compose plugin or Debian package docker-compose");
        }
        prefix.addAll(List.of("-f", ROOT.resolve("docker-compose.yml").toString(), "config", "-q"));
        ExternalTool.Result result = tool.run(ROOT, null, prefix.toArray(String[]::new));
        log.info("{} {}: exit {} {}", tool.executable(), prefix, result.exitCode(), result.output());
        assertThat(result.exitCode()).as("%s %s:%n%s", tool.executable(), prefix, result.output()).isZero();
    }

    @Test
    void topicScriptCreatesExactlyTheTopicsOfTheSpecs() throws Exception {
        assertThat(createdTopics(Map.of())).isEqualTo(byName(Topics.defaults().specs()));
        List<TopicSpec> scaled = Topics.withPrefix("lab.").specs().stream()
                .map(s -> s.name().matches("lab\\.(samples|train|eval)") ? s.withPartitions(4) : s).toList();
        assertThat(createdTopics(Map.of("CLPIPE_TOPIC_PREFIX", "lab.", "CLPIPE_PARTITIONS", "4",
                "BOOTSTRAP", "broker-1:9093", "COMMAND_CONFIG", "/etc/clpipe/my client.properties"))).isEqualTo(byName(scaled));
    }

    @Test
    void prometheusHasOneJobPerComposeServiceThatServesMetrics() throws IOException {
        Map<String, Object> services = map(yaml(ROOT.resolve("docker-compose.yml")).get("services"));
        Map<String, String> expected = new TreeMap<>();
        services.forEach((name, definition) -> {
            Object command = map(definition).get("command");
            if (command instanceof List<?> raw && raw.contains("--metrics-port")) {
                List<String> args = raw.stream().map(Object::toString).toList();
                assertThat(args).as("%s serves /metrics beyond its container", name).containsSequence("--metrics-bind", "0.0.0.0");
                expected.put(name, name + ":" + args.get(args.indexOf("--metrics-port") + 1));
            }
        });
        assertThat(expected).containsOnlyKeys("ingest", "learner", "evaluator");

        Map<String, String> jobs = new TreeMap<>();
        for (Object job : (List<?>) yaml(PROMETHEUS_DIR.resolve("prometheus.yml")).get("scrape_configs")) {
            Map<String, Object> dns = map(((List<?>) map(job).get("dns_sd_configs")).get(0));
            List<?> names = (List<?>) dns.get("names");
            jobs.put((String) map(job).get("job_name"), names.stream().map(n -> n + ":" + dns.get("port")).reduce((a, b) -> a + "," + b).orElse(""));
        }
        assertThat(jobs).isEqualTo(expected);
    }

    @Test
    void composeServiceSettingsAreKeysTheServicesAccept() throws IOException {
        Map<String, Object> services = map(yaml(ROOT.resolve("docker-compose.yml")).get("services"));
        Properties learner = settings(services.get("learner"), "CLPIPE_LEARNER_");
        assertThat(learner).isNotEmpty();
        learner.putIfAbsent("topics.prefix", Topics.DEFAULT_PREFIX);
        LearnerServiceConfig.fromProperties(learner);
        Properties evaluator = settings(services.get("evaluator"), "CLPIPE_EVALUATOR_");
        assertThat(evaluator).isNotEmpty();
        EvaluatorServiceConfig.fromProperties(evaluator);
    }

    @Test
    void grafanaProvisioningPointsTheDashboardAtTheProvisionedDatasource() throws IOException {
        Path grafana = ROOT.resolve("deploy/grafana");
        Map<String, Object> datasource = map(((List<?>) yaml(grafana.resolve("provisioning/datasources/prometheus.yml"))
                .get("datasources")).get(0));
        String uid = (String) datasource.get("uid");
        assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");

        Dashboard dashboard = Dashboard.read(grafana.resolve("dashboards/clpipe.json"));
        List<String> wrong = new ArrayList<>();
        collectDatasources(dashboard.json().path("panels"), uid, wrong);
        dashboard.json().path("templating").path("list").forEach(v -> checkDatasource("variable " + v.path("name").asText(), v, uid, wrong));
        assertThat(wrong).as("datasource uids other than the provisioned %s", uid).isEmpty();

        String path = (String) map(map(((List<?>) yaml(grafana.resolve("provisioning/dashboards/clpipe.yml")).get("providers")).get(0))
                .get("options")).get("path");
        List<Object> grafanaVolumes = (List<Object>) map(map(yaml(ROOT.resolve("docker-compose.yml")).get("services")).get("grafana")).get("volumes");
        assertThat(grafanaVolumes).as("compose mounts the dashboards where the provider reads them")
                .contains("./deploy/grafana/dashboards:" + path + ":ro");
    }

    private static void collectDatasources(JsonNode panels, String uid, List<String> wrong) {
        for (JsonNode panel : panels) {
            String title = "panel '" + panel.path("title").asText() + "'";
            if (panel.has("targets")) {
                checkDatasource(title, panel, uid, wrong);
                panel.path("targets").forEach(t -> checkDatasource(title + " target " + t.path("refId").asText(), t, uid, wrong));
            }
            collectDatasources(panel.path("panels"), uid, wrong);
        }
    }

    private static void checkDatasource(String where, JsonNode node, String uid, List<String> wrong) {
        if (!uid.equals(node.path("datasource").path("uid").asText())) {
            wrong.add(where + ": " + node.path("datasource"));
        }
    }

    /** Runs deploy/kafka/create-topics.sh with a kafka-topics stand-in that records what it is asked. */
    private Map<String, TopicSpec> createdTopics(Map<String, String> env) throws IOException, InterruptedException {
        Path calls = tmp.resolve("calls-" + env.hashCode() + ".txt");
        String bootstrap = env.getOrDefault("BOOTSTRAP", "kafka:9092");
        Path fake = tmp.resolve("kafka-topics.sh");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\t' \"$a\"; done >> '" + calls + "'\necho >> '" + calls + "'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("sh", ROOT.resolve("deploy/kafka/create-topics.sh").toString()).redirectErrorStream(true);
        pb.environment().put("KAFKA_TOPICS", fake.toString());
        pb.environment().putAll(env);
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("create-topics.sh: %s", output).isZero();

        Map<String, TopicSpec> created = new TreeMap<>();
        for (String line : Files.readAllLines(calls)) {
            List<String> args = List.of(line.split("\t"));
            assertThat(args).containsSequence("--bootstrap-server", bootstrap);
            if (env.containsKey("COMMAND_CONFIG")) {
                assertThat(args).containsSequence("--command-config", env.get("COMMAND_CONFIG"));
            }
            if (!args.contains("--create")) {
                continue;
            }
            assertThat(args).as("idempotent: %s", line).contains("--if-not-exists");
            Map<String, String> configs = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).equals("--config")) {
                    String[] kv = args.get(i + 1).split("=", 2);
                    configs.put(kv[0], kv[1]);
                }
            }
            String topic = args.get(args.indexOf("--topic") + 1);
            int partitions = Integer.parseInt(args.get(args.indexOf("--partitions") + 1));
            created.put(topic, new TopicSpec(topic, partitions, configs, Map.of()));
        }
        return created;
    }

    /** Specs as the script can express them: name, partitions, topic configs (producer settings are the clients' business). */
    private static Map<String, TopicSpec> byName(List<TopicSpec> specs) {
        Map<String, TopicSpec> out = new TreeMap<>();
        specs.forEach(s -> out.put(s.name(), new TopicSpec(s.name(), s.partitions(), s.configs(), Map.of())));
        return out;
    }

    private static Properties settings(Object service, String prefix) {
        Properties props = new Properties();
        map(map(service).get("environment")).forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                props.setProperty(name.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), String.valueOf(value));
            }
        });
        return props;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    private static ExternalTool require(String name, String whereFrom) {
        Optional<ExternalTool> tool = ExternalTool.find(name);
        assumeTrue(tool.isPresent(), name + " is not installed (" + whereFrom + "); skipped");
        return tool.get();
    }
}
