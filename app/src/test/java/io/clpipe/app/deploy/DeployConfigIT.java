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
import java.util.Set;
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
    void composeBuildsTheNonRootImageItselfWaitsOnReadinessAndStopsGracefully() throws IOException {
        Map<String, Object> services = map(yaml(ROOT.resolve("docker-compose.yml")).get("services"));
        for (String name : List.of("ingest", "learner", "evaluator", "demo-producer")) {
            Map<String, Object> service = map(services.get(name));
            Map<String, Object> build = map(service.get("build"));
            assertThat(ROOT.resolve((String) build.get("context")).resolve((String) build.get("dockerfile"))).as("%s builds from", name).exists();
            assertThat(String.valueOf(service.get("stop_grace_period"))).as("%s stop_grace_period", name).isEqualTo("60s");
        }
        for (String name : List.of("ingest", "learner", "evaluator")) {
            assertThat(String.valueOf(map(map(services.get(name)).get("healthcheck")).get("test"))).as("%s healthcheck", name)
                    .contains("/ready");
        }
        assertThat(map(map(services.get("demo-producer")).get("depends_on"))).containsKey("fetch-data");
        String dockerfile = Files.readString(ROOT.resolve("deploy/docker/Dockerfile"));
        assertThat(dockerfile.lines().filter(l -> l.startsWith("USER ")).toList()).containsExactly("USER 1000:0");
        assertThat(Files.readString(ROOT.resolve("app/pom.xml"))).contains("<user>1000:0</user>");
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
    void theDashboardReadsItsDatasourceFromAVariableAndGrafanaProvisionsAPrometheusOne() throws IOException {
        Path grafana = ROOT.resolve("deploy/grafana");
        Map<String, Object> datasource = map(((List<?>) yaml(grafana.resolve("provisioning/datasources/prometheus.yml"))
                .get("datasources")).get(0));
        assertThat(datasource.get("type")).isEqualTo("prometheus");
        assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");

        Dashboard dashboard = Dashboard.read(grafana.resolve("dashboards/clpipe.json"));
        JsonNode variables = dashboard.json().path("templating").path("list");
        JsonNode dsVariable = variables.get(0);
        assertThat(dsVariable.path("type").asText()).isEqualTo("datasource");
        assertThat(dsVariable.path("query").asText()).isEqualTo("prometheus");
        List<String> names = new ArrayList<>();
        variables.forEach(v -> names.add(v.path("name").asText()));
        assertThat(names).containsExactly("datasource", "stream", "task");

        String variable = "${" + dsVariable.path("name").asText() + "}";
        List<String> wrong = new ArrayList<>();
        collectDatasources(dashboard.json().path("panels"), variable, wrong);
        for (int i = 1; i < variables.size(); i++) {
            checkDatasource("variable " + variables.get(i).path("name").asText(), variables.get(i), variable, wrong);
        }
        dashboard.annotations().forEach((name, a) -> checkDatasource("annotation " + name, a, variable, wrong));
        assertThat(wrong).as("datasources other than %s (no hard-coded uid)", variable).isEmpty();
        assertThat(Files.readString(grafana.resolve("dashboards/clpipe.json"))).doesNotContain(String.valueOf(datasource.get("uid")));

        String path = (String) map(map(((List<?>) yaml(grafana.resolve("provisioning/dashboards/clpipe.yml")).get("providers")).get(0))
                .get("options")).get("path");
        List<Object> grafanaVolumes = (List<Object>) map(map(yaml(ROOT.resolve("docker-compose.yml")).get("services")).get("grafana")).get("volumes");
        assertThat(grafanaVolumes).as("compose mounts the dashboards where the provider reads them")
                .contains("./deploy/grafana/dashboards:" + path + ":ro");
    }

    @Test
    void everyStatPanelHasThresholdsAndEveryAlertLinksARunbookSectionThatExists() throws IOException {
        Dashboard dashboard = Dashboard.read(ROOT.resolve("deploy/grafana/dashboards/clpipe.json"));
        List<String> stats = new ArrayList<>();
        dashboard.json().path("panels").forEach(p -> {
            if (p.path("type").asText().equals("stat")) {
                stats.add(p.path("title").asText());
                assertThat(p.path("fieldConfig").path("defaults").path("thresholds").path("steps").size())
                        .as("thresholds of stat %s", p.path("title").asText()).isGreaterThanOrEqualTo(2);
            }
        });
        assertThat(stats).containsExactly("ACC", "min-ACC", "WC-ACC", "Forgetting", "Consumer lag");

        String operations = Files.readString(ROOT.resolve("docs/operations.md"));
        Set<String> anchors = new java.util.HashSet<>();
        operations.lines().filter(l -> l.startsWith("#")).forEach(l -> anchors.add(githubAnchor(l.replaceFirst("^#+\\s*", ""))));
        Map<String, String> runbooks = new TreeMap<>();
        for (Object group : (List<?>) yaml(PROMETHEUS_DIR.resolve("alerts.yml")).get("groups")) {
            for (Object rule : (List<?>) map(group).get("rules")) {
                Map<String, Object> r = map(rule);
                if (r.containsKey("alert")) {
                    runbooks.put((String) r.get("alert"), (String) map(r.get("annotations")).get("runbook_url"));
                }
            }
        }
        assertThat(runbooks).containsKeys("ClpipeAccuracyDrop", "ClpipeDeadLetterRatioHigh", "ClpipeLearnerStalled", "ClpipeCheckpointStale");
        runbooks.forEach((alert, url) -> {
            assertThat(url).as("runbook_url of %s", alert).isEqualTo("docs/operations.md#runbook-" + alert.toLowerCase(Locale.ROOT));
            assertThat(anchors).as("operations.md has the section %s links", alert).contains(url.substring(url.indexOf('#') + 1));
        });
    }

    /**
     * The boundary annotation on promtool's evaluator: one boundary before and one after a learner
     * restart (its counter back to 0) must annotate twice, naming the task started, and the reset
     * itself not at all. The old {@code changes(...) > 0} annotated the reset too.
     */
    @Test
    void theBoundaryAnnotationNamesTheTaskAndIgnoresCounterResets() throws IOException {
        ExternalTool promtool = require("promtool", "Debian package prometheus");
        Dashboard dashboard = Dashboard.read(ROOT.resolve("deploy/grafana/dashboards/clpipe.json"));
        String expr = dashboard.substitute(dashboard.annotations().get("Task boundaries").path("expr").asText(), "1m");
        String labels = "job=\"learner\",instance=\"l:9400\",service=\"learner\",stream=\"digits\"";
        // 15 s scrapes. Boundary 0-1 -> 2-3 at 1m; the learner restarts at 3m (one failed scrape, then
        // its counter from 0); boundary 2-3 -> 4-5 at 6m. "stale" is what Prometheus records when a
        // series leaves a scrape.
        String test = "rule_files: []\nevaluation_interval: 15s\ntests:\n  - interval: 15s\n    input_series:\n"
                + series("clpipe_learner_boundaries_total{" + labels + "}", "0x3 1x7 stale 0x10 1x7")
                + series("clpipe_learner_task_info{" + labels + ",task=\"0-1\"}", "1x3 stale")
                + series("clpipe_learner_task_info{" + labels + ",task=\"2-3\"}", "_x4 1x7 stale 1x10 stale")
                + series("clpipe_learner_task_info{" + labels + ",task=\"4-5\"}", "_x24 1x7")
                + "    promql_expr_test:\n"
                + exprTest(expr, "1m15s", labels + ",task=\"2-3\"")
                + exprTest(expr, "2m30s", null)
                + exprTest(expr, "3m15s", null) // the reset is in the window
                + exprTest(expr, "3m30s", null)
                + exprTest(expr, "6m15s", labels + ",task=\"4-5\"");
        Path file = tmp.resolve("annotation-test.yml");
        Files.writeString(file, test);
        ExternalTool.Result result = promtool.run(tmp, null, "test", "rules", file.toString());
        log.info("promtool test rules on the annotation {}:\n{}", expr, result.output());
        assertThat(result.exitCode()).as("annotation %s on a reset counter:%n%s%n%s", expr, test, result.output()).isZero();
    }

    private static String series(String series, String values) {
        return "      - series: '" + series + "'\n        values: '" + values + "'\n";
    }

    private static String exprTest(String expr, String at, String labels) {
        // "> bool 0": the annotation's value is an extrapolated increase; only its presence matters.
        String head = "      - expr: '(" + expr.replace("'", "''") + ") > bool 0'\n        eval_time: " + at + "\n        exp_samples:";
        return labels == null ? head + " []\n" : head + "\n          - labels: '{" + labels + "}'\n            value: 1\n";
    }

    /** GitHub's heading anchors: lower case, punctuation other than - and _ dropped, spaces to -. */
    private static String githubAnchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
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
