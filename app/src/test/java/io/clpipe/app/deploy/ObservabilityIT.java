package io.clpipe.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clpipe.broker.KafkaClusters;
import io.clpipe.broker.TestKafkaCluster;
import io.clpipe.broker.TopicCreation;
import io.clpipe.harness.ServiceJvm;
import io.clpipe.ingest.scenario.Scenario;
import io.clpipe.ingest.scenario.ScenarioConfig;
import io.clpipe.ingest.scenario.Scenarios;
import io.clpipe.ingest.source.SampleSource;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.TopicSpec;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.Sample;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observability contract on a running pipeline: ingest, learner and evaluator each in its own
 * JVM ({@code clpipe <service> --metrics-port …}, as in docker-compose.yml) on a real broker, two
 * Split-MNIST tasks and a bad record pushed through. Then every metric the Grafana dashboard queries
 * must be in the services' /metrics, the scrapes must pass {@code promtool check metrics}, and a real
 * Prometheus scraping them must answer every panel's query and load the alert rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityIT {

    private static final Logger log = LoggerFactory.getLogger(ObservabilityIT.class);
    private static final Path ROOT = ExternalTool.repoRoot();
    private static final String STREAM = "digits";
    private static final int TRAIN_PER_TASK = 320;
    private static final int EVAL_PER_TASK = 100;
    /** Batch 32, half of it replayed: 16 new samples per step. */
    private static final int NEW_PER_STEP = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private TestKafkaCluster kafka;
    private final Map<String, ServiceJvm> services = new LinkedHashMap<>();
    /** A real Prometheus scraping the services from before the first record on; null where it is not installed. */
    private Process prometheus;
    private PrometheusApi api;
    private double runStart;
    private double runEnd;

    @BeforeAll
    void runTwoTasksThroughTheServices() throws Exception {
        kafka = KafkaClusters.start();
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicCreation.create(admin, Topics.defaults().specs().stream().map(TopicSpec::newTopic).toList());
        }
        String bootstrap = kafka.bootstrapServers();
        start("ingest", "--bootstrap-servers", bootstrap, "--feature-dim", "784", "--classes", "10", "--eval-permille", "0");
        start("learner", "--bootstrap-servers", bootstrap, "--set", "model.hidden=64", "--set", "batch.size=32", "--set", "lr=0.05",
                "--set", "replay.policy=class-balanced", "--set", "eval.period=5", "--set", "eval.dense.window=5",
                "--set", "checkpoint.dir=" + tmp.resolve("learner"));
        start("evaluator", "--bootstrap-servers", bootstrap, "--set", "state.dir=" + tmp.resolve("evaluator"),
                "--set", "eval.set.size=" + EVAL_PER_TASK);
        for (ServiceJvm s : services.values()) {
            s.awaitProbe("/health", Duration.ofSeconds(120));
        }
        for (ServiceJvm s : services.values()) {
            s.awaitProbe("/ready", Duration.ofSeconds(120));
        }
        startPrometheus();
        runStart = System.currentTimeMillis() / 1000.0;
        // What demo-producer feeds, cut to two tasks: per task its eval samples, then its training samples.
        Scenario splitMnist = Scenarios.fromCache().create(Scenarios.SPLIT_MNIST, ScenarioConfig.defaults().withStream(STREAM)
                .withTasks(2).withEvalPerTask(EVAL_PER_TASK).withTrainPerTask(TRAIN_PER_TASK));
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap); SampleSource samples = splitMnist.samples()) {
            String firstTask = null;
            boolean secondTaskStarted = false;
            while (samples.hasNext()) {
                Sample sample = samples.next();
                firstTask = firstTask == null ? sample.getTask() : firstTask;
                if (!secondTaskStarted && !sample.getTask().equals(firstTask)) {
                    // The boundary must come after Prometheus has scraped the first task's end (boundaries still 0),
                    // or a fast machine ends the run between two scrapes and the annotation has no rise to show.
                    producer.flush();
                    awaitFirstTaskScraped();
                    secondTaskStarted = true;
                }
                producer.send(new ProducerRecord<>(Topics.defaults().samples(), STREAM, SampleJson.write(sample)));
            }
            producer.send(new ProducerRecord<>(Topics.defaults().samples(), STREAM, "not json".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }

        long trained = splitMnist.plan().totalTrainSamples();
        assertThat(trained).isEqualTo(2L * TRAIN_PER_TASK);
        long lastStep = trained / NEW_PER_STEP;
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (true) {
            Scrape learner = Scrape.of(services.get("learner"));
            Scrape evaluator = Scrape.of(services.get("evaluator"));
            Optional<Double> samples = learner.value("clpipe_learner_samples_total", Map.of("stream", STREAM));
            Optional<Double> evaluated = evaluator.value("clpipe_eval_iteration", Map.of("stream", STREAM));
            boolean gap = evaluator.names().contains("clpipe_eval_gap_depth");
            boolean rejected = Scrape.of(services.get("ingest")).names().contains("clpipe_ingest_rejected_total");
            if (samples.orElse(0.0) >= trained && evaluated.orElse(0.0) >= lastStep - 1 && gap && rejected) {
                assertThat(samples).hasValue((double) trained);
                log.info("Pipeline done: learner trained {} samples, evaluator at version {}", samples.get(), evaluated.get());
                runEnd = System.currentTimeMillis() / 1000.0;
                break;
            }
            assertThat(System.nanoTime()).as("two tasks through the pipeline in time: samples %s, evaluated %s, gap %s, rejected %s",
                    samples, evaluated, gap, rejected).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** The learner trained the whole first task (its tail by the linger) and Prometheus scraped that (when it runs). */
    private void awaitFirstTaskScraped() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (true) {
            Optional<Double> trained = Scrape.of(services.get("learner")).value("clpipe_learner_samples_total", Map.of("stream", STREAM));
            boolean scraped = api == null || api.query("clpipe_learner_samples_total == " + TRAIN_PER_TASK).size() == 1;
            if (trained.orElse(0.0) == TRAIN_PER_TASK && scraped) {
                return;
            }
            assertThat(System.nanoTime()).as("first task trained and scraped in time: trained %s", trained).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        for (ServiceJvm s : services.values()) {
            s.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyDashboardQueryReadsMetricsTheServicesExport() throws IOException {
        Dashboard dashboard = Dashboard.read(ROOT.resolve("deploy/grafana/dashboards/clpipe.json"));
        Set<String> exported = new LinkedHashSet<>();
        services.values().forEach(s -> exported.addAll(Scrape.of(s).names()));

        Map<String, Set<String>> missing = new TreeMap<>();
        List<String> table = new ArrayList<>();
        for (Dashboard.Query q : dashboard.queries()) {
            Set<String> names = PromQl.metricNames(q.expr());
            assertThat(names).as("%s reads some metric: %s", q.where(), q.expr()).isNotEmpty();
            for (String name : names) {
                if (!exported.contains(name)) {
                    missing.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(q.where());
                }
            }
            table.add(q.where() + " -> " + names);
        }
        log.info("Dashboard queries and the metrics they read:\n{}", String.join("\n", table));
        System.out.println("== dashboard queries and the metrics they read (all found in /metrics):\n" + String.join("\n", table));
        assertThat(dashboard.queries().stream().filter(q -> q.where().startsWith("panel")).count()).isGreaterThanOrEqualTo(40);
        assertThat(missing).as("metrics the dashboard reads but no service exports").isEmpty();
    }

    /**
     * clpipe's own meters must pass promtool's lint; every meter, ours or a library's, must have its
     * HELP text. Kafka's and Micrometer's binders name a few meters against promtool's style rules
     * ({@code *_time_ns_total}, {@code *_connection_count}); those are reported, not failed.
     */
    @Test
    void everyScrapePassesPromtoolCheckMetrics() {
        Optional<ExternalTool> promtool = ExternalTool.find("promtool");
        assumeTrue(promtool.isPresent(), "promtool is not installed (Debian package prometheus); skipped");
        for (ServiceJvm s : services.values()) {
            String text = Scrape.of(s).text();
            ExternalTool.Result result = promtool.get().run(tmp, text, "check", "metrics");
            // promtool exits 3 when it has lint findings (one "<metric> <problem>" per line), 1 when it cannot parse.
            assertThat(result.exitCode()).as("promtool check metrics on %s:%n%s", s.name(), result.output()).isIn(0, 3);
            List<String> findings = result.output().lines().filter(l -> !l.isBlank()).toList();
            List<String> ours = findings.stream().filter(l -> l.startsWith("clpipe_") || l.contains("help")).toList();
            log.info("promtool check metrics on {} ({} lines): exit {}, {} findings on third-party meters:\n{}", s.name(),
                    text.lines().count(), result.exitCode(), findings.size() - ours.size(), result.output());
            System.out.printf("== promtool check metrics on %s: exit %d, clpipe meters clean, third-party style findings: %d%n",
                    s.name(), result.exitCode(), findings.size() - ours.size());
            assertThat(ours).as("promtool findings on clpipe meters or missing HELP, %s", s.name()).isEmpty();
            assertThat(text).as("%s scrape has clpipe meters", s.name()).contains("# HELP clpipe_");
        }
    }

    private void startPrometheus() throws Exception {
        Optional<ExternalTool> binary = ExternalTool.find("prometheus");
        if (binary.isEmpty()) {
            return;
        }
        int port = ServiceJvm.freePort();
        Path config = tmp.resolve("prometheus.yml");
        StringBuilder yaml = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - \"")
                .append(ROOT.resolve("deploy/prometheus/alerts.yml")).append("\"\nscrape_configs:\n");
        services.values().forEach(s -> yaml.append("  - job_name: ").append(s.name())
                .append("\n    static_configs:\n      - targets: [\"127.0.0.1:").append(s.metricsPort()).append("\"]\n"));
        Files.writeString(config, yaml);
        Path prometheusLog = tmp.resolve("prometheus.log");
        prometheus = new ProcessBuilder(binary.get().executable().toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(prometheusLog.toFile()).start();
        api = new PrometheusApi(port, prometheus, prometheusLog);
        api.awaitReady();
        api.await("every target up", () -> api.query("sum(up)").path(0).path("value").path(1).asText().equals("3"));
    }

    @Test
    void aRealPrometheusScrapesTheServicesAnswersEveryPanelAndLoadsTheAlertRules() throws Exception {
        assumeTrue(prometheus != null, "prometheus is not installed (Debian package prometheus; .ci/run installs it); skipped");
        Dashboard dashboard = Dashboard.read(ROOT.resolve("deploy/grafana/dashboards/clpipe.json"));
        String range = Math.round(runEnd - runStart + 60) + "s";
        // rate() over 10 s needs two scrapes of a series inside the window: on a fast machine the whole run can end
        // within a scrape or two of the learner's first sample, so wait (on the data, not on time) until every panel
        // has some; a panel that never gets data fails the wait with its name.
        api.await("Prometheus scraped the end of the run",
                () -> api.query("clpipe_learner_samples_total == " + 2 * TRAIN_PER_TASK).size() == 1);
        for (Dashboard.Query q : dashboard.queries()) {
            if (q.where().startsWith("panel")) {
                String expr = dashboard.substitute(q.expr(), "10s", range);
                api.await(q.where() + " returns data (" + expr + ")", () -> !api.query(expr).isEmpty());
            }
        }

        JsonNode samples = api.query("clpipe_learner_samples_total");
        String reply = samples.toString();
        System.out.println("== Prometheus /api/v1/query?query=clpipe_learner_samples_total returned: " + reply);
        log.info("Prometheus returned for clpipe_learner_samples_total: {}", reply);
        assertThat(samples).hasSize(1);
        JsonNode series = samples.get(0);
        assertThat(series.path("metric").path("job").asText()).isEqualTo("learner");
        assertThat(series.path("metric").path("service").asText()).isEqualTo("learner");
        assertThat(series.path("metric").path("stream").asText()).isEqualTo(STREAM);
        double direct = Scrape.of(services.get("learner")).value("clpipe_learner_samples_total", Map.of("stream", STREAM)).orElseThrow();
        assertThat(Double.parseDouble(series.path("value").path(1).asText())).isEqualTo(direct).isEqualTo(2.0 * TRAIN_PER_TASK);

        List<String> answers = new ArrayList<>();
        for (Dashboard.Query q : dashboard.queries()) {
            String expr = dashboard.substitute(q.expr(), "10s", range);
            if (q.where().startsWith("variable") || q.where().startsWith("annotation")) {
                continue; // label_values() is Grafana's, not PromQL; the annotation is checked over the run below
            }
            JsonNode result = api.query(expr);
            answers.add(q.where() + ": " + result.size() + " series, e.g. " + (result.isEmpty() ? "-" : result.get(0)));
            if (q.where().startsWith("panel")) {
                assertThat(result).as("%s: %s returns data", q.where(), expr).isNotEmpty();
            }
        }
        System.out.println("== Prometheus answers to the dashboard's queries:\n" + String.join("\n", answers));

        // The boundary annotation over the whole run: exactly the one boundary of two tasks, naming task 2-3.
        String annotation = dashboard.substitute(dashboard.annotations().get("Task boundaries").path("expr").asText(), "10s");
        List<DashboardRenderer.Series> marks = rangeQuery(annotation, "{{task}}");
        System.out.println("== boundary annotation over the run: " + marks.stream().map(m -> m.legend() + " at "
                + m.points().stream().map(p -> String.format(java.util.Locale.ROOT, "%.0fs", p[0])).toList()).toList());
        assertThat(marks).extracting(DashboardRenderer.Series::legend).containsExactly("2-3");

        // Every panel drawn from the range API into one PNG (docs/operations.md#the-dashboard).
        List<Double> boundaries = marks.stream().map(m -> m.points().get(0)[0]).toList();
        Path png = ROOT.resolve("app/target/dashboard/clpipe-dashboard.png");
        int withData = DashboardRenderer.render(dashboard, this::rangeQuery, boundaries,
                "Prometheus range queries over a live 2-task Split-MNIST run (ObservabilityIT)", png);
        long panels = dashboard.json().findValues("targets").size();
        System.out.printf("== dashboard rendered to %s: %d of %d panels with data%n", png, withData, panels);
        assertThat(withData).isEqualTo(panels);

        api.await("every alert rule evaluated", () -> {
            List<JsonNode> rules = api.rules();
            return !rules.isEmpty() && rules.stream().noneMatch(r -> r.path("health").asText().equals("unknown"));
        });
        List<JsonNode> rules = api.rules();
        List<String> ruleHealth = rules.stream().map(r -> r.path("name").asText() + "=" + r.path("health").asText()
                + (r.path("lastError").asText().isEmpty() ? "" : " (" + r.path("lastError").asText() + ")")).toList();
        System.out.println("== alert rules loaded by Prometheus: " + ruleHealth);
        assertThat(rules).extracting(r -> r.path("name").asText())
                .containsExactlyInAnyOrder("ClpipeServiceDown", "ClpipeLearnerDiverged", "ClpipeEvaluatorLagging",
                        "clpipe_task:eval_accuracy:peak", "ClpipeAccuracyDrop", "ClpipeDeadLetterRatioHigh", "ClpipeLearnerStalled",
                        "ClpipeCheckpointStale");
        assertThat(ruleHealth).allMatch(h -> h.endsWith("=ok"));
        assertThat(rules).as("a healthy, finished pipeline fires no alert")
                .allMatch(r -> r.path("alerts").isEmpty());
        // The expressions of the new alerts read series the services export (an alert on a missing series never fires).
        for (String input : List.of("clpipe_task:eval_accuracy:peak", "clpipe_ingest_rejected_total", "clpipe_ingest_records_total",
                "clpipe_kafka_consumer_lag{job=\"learner\", topic=~\".*train\"}", "clpipe_learner_steps_total",
                "clpipe_learner_checkpoint_timestamp_seconds", "clpipe_learner_steps_since_checkpoint")) {
            assertThat(api.query(input)).as("Prometheus has %s", input).isNotEmpty();
        }
    }

    /** A range query over the run (1 s steps), legends from Grafana's {{label}} format, times in seconds since the run started. */
    private List<DashboardRenderer.Series> rangeQuery(String promql, String legendFormat) throws Exception {
        JsonNode result = api.queryRange(promql, runStart, runEnd + 5);
        List<DashboardRenderer.Series> out = new ArrayList<>();
        for (JsonNode s : result) {
            String legend = legendFormat;
            var labels = s.path("metric").fields();
            while (labels.hasNext()) {
                var label = labels.next();
                legend = legend.replace("{{" + label.getKey() + "}}", label.getValue().asText());
            }
            List<double[]> points = new ArrayList<>();
            s.path("values").forEach(v -> points.add(new double[] {v.get(0).asDouble() - runStart, Double.parseDouble(v.get(1).asText())}));
            out.add(new DashboardRenderer.Series(legend.replaceAll("\\{\\{[^}]*}}", "").trim(), points));
        }
        return out;
    }

    /** Prometheus' HTTP API, enough for this test. */
    private record PrometheusApi(int port, Process process, Path log) {

        private static final HttpClient HTTP = HttpClient.newHttpClient();

        interface Condition {
            boolean holds() throws Exception;
        }

        void awaitReady() throws Exception {
            await("Prometheus ready", () -> {
                try {
                    return HTTP.send(request("/-/ready"), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
        }

        void await(String what, Condition condition) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!condition.holds()) {
                assertThat(process.isAlive()).as("prometheus is running; log:%n%s", tail()).isTrue();
                assertThat(System.nanoTime()).as("%s within 60 s; prometheus log:%n%s", what, tail()).isLessThan(deadline);
                Thread.sleep(250);
            }
        }

        /** The result vector of an instant query; fails on a query error. */
        JsonNode query(String promql) throws Exception {
            JsonNode body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
            assertThat(body.path("status").asText()).as("query %s: %s", promql, body).isEqualTo("success");
            return body.path("data").path("result");
        }

        /** The result matrix of a range query with 1 s steps. */
        JsonNode queryRange(String promql, double start, double end) throws Exception {
            JsonNode body = get("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                    + "&start=" + start + "&end=" + end + "&step=1");
            assertThat(body.path("status").asText()).as("range query %s: %s", promql, body).isEqualTo("success");
            return body.path("data").path("result");
        }

        List<JsonNode> rules() throws Exception {
            List<JsonNode> rules = new ArrayList<>();
            get("/api/v1/rules").path("data").path("groups").forEach(g -> g.path("rules").forEach(rules::add));
            return rules;
        }

        private JsonNode get(String path) throws Exception {
            HttpResponse<String> r = HTTP.send(request(path), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        }

        private HttpRequest request(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build();
        }

        private String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }

    private void start(String service, String... args) throws IOException {
        services.put(service, ServiceJvm.launch(service, service, List.of(args)).in(tmp).privateTmpDir().metricsEndpoint().start());
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}
