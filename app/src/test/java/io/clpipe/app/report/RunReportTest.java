package io.clpipe.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.MetricsJson;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import io.clpipe.evaluator.engine.TraceMetrics;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    private static final List<String> TASKS = List.of("0-1", "2-3", "4-5");
    private static final int PER_TASK = 60;

    @TempDir
    Path dir;

    private final SyntheticRun run = new SyntheticRun(TASKS, PER_TASK);
    private final RunSettings settings = new RunSettings("split-mnist", "replay-rewarm", 42, 2,
            Instant.parse("2025-01-02T03:04:05Z"), Duration.ofMillis(73_400), Map.of("model", "784-400-400-10"));

    private ReportFiles write() throws Exception {
        return RunReport.write(dir.resolve("out"), new ReportInput(run.lines, run.learningRate, run.trainingLoss, settings));
    }

    @Test
    void writesEveryFileIntoTheOutputFolder() throws Exception {
        ReportFiles files = write();
        Path out = dir.resolve("out");
        assertThat(files.dir()).isEqualTo(out);
        assertThat(List.of(files.metricsJsonl(), files.traceCsv(), files.summaryJson(), files.reportHtml()))
                .allSatisfy(p -> assertThat(p).isRegularFile().hasParent(out));
        assertThat(files.plots()).extracting(p -> p.getFileName().toString())
                .containsExactly("accuracy.png", "boundaries.png", "acc-minacc-wcacc.png", "learning-rate.png");
        assertThat(Files.readAllLines(files.metricsJsonl())).isEqualTo(run.lines);
        assertThat(Files.readString(files.traceCsv())).isEqualTo(run.trace.toString());
        try (var listing = Files.list(out)) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void plotsArePngsOfTheAdvertisedSize() throws Exception {
        ReportFiles files = write();
        for (Path png : files.plots()) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as(png.toString()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(RunReport.WIDTH);
            assertThat(image.getHeight()).isEqualTo(png.endsWith("learning-rate.png") ? RunReport.SCHEDULE_HEIGHT : RunReport.HEIGHT);
            assertThat(distinctColours(image)).as("a chart, not a blank canvas").isGreaterThan(20);
        }
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    @Test
    void summaryIsWhatTheMetricsCommandComputesForTheSameTracePlusTheRun() throws Exception {
        ReportFiles files = write();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode summary = (ObjectNode) mapper.readTree(files.summaryJson().toFile());

        // clpipe metrics --trace with its defaults: window 10, tolerance 0.01, every gap
        MetricsSnapshot expected = new TraceMetrics(EngineConfig.defaults(Direction.ACCURACY).withWindows(List.of(10))
                .withGapHistory(Integer.MAX_VALUE)).replay(new BufferedReader(new StringReader(run.trace.toString())));
        JsonNode run = summary.remove("run");
        // compared as parsed JSON text: summary.json is text, so number node types follow the text
        assertThat(summary).isEqualTo(mapper.readTree(new MetricsJson(mapper).report(expected, 10).toString()));
        assertThat(summary.fieldNames()).toIterable().contains("acc", "min_acc", "wc_acc", "wf", "wp", "lca",
                "forgetting", "bwt", "fwt", "learning_acc", "accuracy_matrix", "gaps");

        assertThat(run.get("scenario").asText()).isEqualTo("split-mnist");
        assertThat(run.get("strategy").asText()).isEqualTo("replay-rewarm");
        assertThat(run.get("seed").asText()).isEqualTo("42");
        assertThat(run.get("epochs_per_task").asText()).isEqualTo("2");
        assertThat(run.get("elapsed_seconds").asText()).isEqualTo("73.4");
        assertThat(run.get("model").asText()).isEqualTo("784-400-400-10");
    }

    @Test
    void theKnownStabilityGapIsInTheSummary() throws Exception {
        JsonNode summary = new ObjectMapper().readTree(write().summaryJson().toFile());
        // boundaries at 60 (0-1 old) and 120 (0-1 and 2-3 old): the old task's last iteration (they were 61
        // and 121, the new task's first, before the boundary contract); each old task falls to 0.30 and is
        // back at its pre-boundary value 21 iterations after the boundary (within 0.01 one iteration earlier)
        JsonNode gaps = summary.get("gaps");
        assertThat(gaps).hasSize(3);
        List<String> seen = new ArrayList<>();
        for (JsonNode gap : gaps) {
            long b = gap.get("boundary_iteration").asLong();
            String task = gap.get("task").asText();
            seen.add(b + ":" + task);
            double before = run.beforeBoundary.get(b + 1).get(task);
            assertThat(gap.get("depth").asDouble()).isCloseTo(before - SyntheticRun.GAP_FLOOR, within(1e-9));
            assertThat(gap.get("recovery_iterations").asLong()).isBetween(19L, 21L);
        }
        assertThat(seen).containsExactly("60:0-1", "120:0-1", "120:2-3");
        assertThat(summary.get("min_acc").asDouble()).isCloseTo(SyntheticRun.GAP_FLOOR, within(1e-9));
        assertThat(summary.get("acc").asDouble()).isGreaterThan(0.8);
        assertThat(summary.get("iteration").asLong()).isEqualTo(3L * PER_TASK);
    }

    @Test
    void htmlIsSelfContainedWithTheFiguresMetricsMatrixAndGaps() throws Exception {
        ReportFiles files = write();
        String html = Files.readString(files.reportHtml());
        assertThat(html).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://")
                .doesNotContain("<link").doesNotContain("<script").doesNotContain("@import").doesNotContain("url(");
        Matcher images = Pattern.compile("<img alt=\"[^\"]*\" src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\">").matcher(html);
        List<Path> plots = new ArrayList<>(files.plots());
        int count = 0;
        while (images.find()) {
            byte[] png = Base64.getDecoder().decode(images.group(1));
            assertThat(png).isEqualTo(Files.readAllBytes(plots.get(count)));
            assertThat(ImageIO.read(new ByteArrayInputStream(png))).isNotNull();
            count++;
        }
        assertThat(count).isEqualTo(4);
        assertThat(html.split("<img", -1)).hasSize(5); // no other images
        assertThat(html).contains("split-mnist", "replay-rewarm", "784-400-400-10")
                .contains("min-ACC", "WC-ACC", "WF10", "BWT", "mean gap depth")
                .contains("higher", "lower")
                .contains("Accuracy matrix", "<th>after \\ on</th><th>0-1</th><th>2-3</th><th>4-5</th>")
                .contains("Stability gaps", "<td>0-1</td>");
    }

    @Test
    void consoleTableHasTheHeadlineMetricsAndTheReportPath() throws Exception {
        ReportFiles files = write();
        String console = files.console();
        assertThat(console).contains("split-mnist, replay-rewarm, seed 42: 3 tasks, 180 iterations, 73.4 s");
        for (String label : List.of("ACC", "min-ACC", "WC-ACC", "WF10", "forgetting", "BWT", "mean gap depth", "mean recovery")) {
            assertThat(console).containsPattern("(?m)^  " + Pattern.quote(label) + " +\\S");
        }
        assertThat(console).contains("min-ACC              0.3000  higher")
                .contains("3 stability gaps, 0 not recovered")
                .contains("report: " + files.reportHtml().toAbsolutePath());
        assertThat(console.lines().count()).isLessThan(15);
    }

    @Test
    void withoutLearningRateOrLossThereIsNoScheduleFigure() throws Exception {
        ReportFiles files = RunReport.write(dir.resolve("bare"), new ReportInput(run.lines, new TreeMap<>(), new TreeMap<>(), settings));
        assertThat(files.plots()).extracting(p -> p.getFileName().toString())
                .containsExactly("accuracy.png", "boundaries.png", "acc-minacc-wcacc.png");
        assertThat(dir.resolve("bare/learning-rate.png")).doesNotExist();
        ReportFiles lossOnly = RunReport.write(dir.resolve("loss"), new ReportInput(run.lines, new TreeMap<>(), run.trainingLoss, settings));
        assertThat(lossOnly.plots()).hasSize(4);
    }

    @Test
    void aSingleTaskRunHasNoBoundaryFigureAndNoGaps() throws Exception {
        SyntheticRun single = new SyntheticRun(List.of("only"), 30);
        ReportFiles files = RunReport.write(dir.resolve("single"),
                new ReportInput(single.lines, single.learningRate, single.trainingLoss, settings));
        assertThat(files.plots()).extracting(p -> p.getFileName().toString())
                .containsExactly("accuracy.png", "acc-minacc-wcacc.png", "learning-rate.png");
        assertThat(Files.readString(files.reportHtml())).contains("No boundary yet");
        assertThat(files.console()).contains("min-ACC                 n/a  higher").contains("0 stability gaps");
    }

    @Test
    void aRepeatedIterationCountsOnceWithItsLastRecordButMetricsJsonlKeepsEveryLine() throws Exception {
        List<String> lines = new ArrayList<>(run.lines);
        lines.add(3, run.lines.get(2)); // iteration 2 published twice, as after an evaluator restart
        ReportFiles files = RunReport.write(dir.resolve("dup"), new ReportInput(lines, run.learningRate, run.trainingLoss, settings));
        assertThat(Files.readAllLines(files.metricsJsonl())).hasSize(run.lines.size() + 1);
        assertThat(Files.readString(files.traceCsv())).isEqualTo(run.trace.toString());
    }

    @Test
    void refusesInputItCannotReportOn() {
        var empty = new TreeMap<Long, Double>();
        assertThatThrownBy(() -> RunReport.write(dir, new ReportInput(List.of(), empty, empty, settings)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no metrics records");
        List<String> broken = new ArrayList<>(run.lines.subList(0, 3));
        broken.add("{\"stream\":\"digits\"");
        assertThatThrownBy(() -> RunReport.write(dir, new ReportInput(broken, empty, empty, settings)))
                .hasMessageContaining("metrics record 4");
        List<String> twoStreams = new ArrayList<>(run.lines.subList(0, 3));
        twoStreams.add(run.lines.get(3).replace("\"stream\":\"digits\"", "\"stream\":\"other\""));
        assertThatThrownBy(() -> RunReport.write(dir, new ReportInput(twoStreams, empty, empty, settings)))
                .hasMessageContaining("stream 'other'");
    }
}
