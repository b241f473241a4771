package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MetricsCommandTest {

    private static final Offset<Double> EPS = within(1e-12);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new MetricsCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private Path trace(String text) throws IOException {
        Path file = dir.resolve("trace.csv");
        Files.writeString(file, text);
        return file;
    }

    /** Two tasks; A collapses from 0.92 to 0.40 when B starts, then declines and recovers slowly. */
    private static final String TRACE = """
            iteration,task,eval_task,accuracy
            0,,A,0.10
            0,,B,0.12
            1,A,A,0.80
            1,A,B,0.11
            2,A,A,0.92
            2,A,B,0.15
            3,B,A,0.40
            3,B,B,0.60
            4,B,A,0.70
            4,B,B,0.80
            5,B,A,0.915
            5,B,B,0.90
            """;

    @Test
    void printsOneJsonObjectWithEveryMetric() throws Exception {
        int status = run("--trace", trace(TRACE).toString(), "--window", "2");

        assertThat(status).isZero();
        assertThat(err.toString()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.fieldNames()).toIterable().contains("acc", "min_acc", "wc_acc", "wf", "wp", "lca",
                "forgetting", "bwt", "fwt", "learning_acc", "accuracy_matrix", "gaps");
        // ACC = (0.915 + 0.90)/2; min-ACC = min(0.40, 0.70, 0.915) = 0.40; WC-ACC = 0.90/2 + 0.40/2 = 0.65
        assertThat(json.get("acc").asDouble()).isCloseTo(0.9075, EPS);
        assertThat(json.get("min_acc").asDouble()).isCloseTo(0.40, EPS);
        assertThat(json.get("wc_acc").asDouble()).isCloseTo(0.65, EPS);
        // WF^2 = (0.52 + 0)/2 = 0.26 (A: 0.92 → 0.40 between neighbours)
        assertThat(json.get("wf").asDouble()).isCloseTo(0.26, EPS);
        // FWT = a(A,B) − b_B = 0.15 − 0.12 = 0.03
        assertThat(json.get("fwt").asDouble()).isCloseTo(0.03, EPS);
        assertThat(json.get("accuracy_matrix").toString()).isEqualTo("[[0.92,0.15],[0.915,0.9]]");
        assertThat(json.get("gaps").toString())
                // the boundary is A's last iteration, 2 (it was 3, B's first); recovery counts from it: 5 − 2
                .isEqualTo("[{\"boundary_iteration\":2,\"task\":\"A\",\"depth\":0.52,\"recovery_iterations\":3}]");
    }

    @Test
    void windowDefaultsToTenAndToleranceIsAnOption() throws Exception {
        Path file = trace(TRACE);
        assertThat(run("--trace", file.toString())).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("window").asInt()).isEqualTo(10);
        // with w = 10 A's largest drop is still 0.92 → 0.40
        assertThat(json.get("wf").asDouble()).isCloseTo(0.26, EPS);

        out.getBuffer().setLength(0);
        // tolerance 0.25: back when ≥ 0.67 → 0.70 at iteration 4 → 4 − 2 = 2
        assertThat(run("--trace", file.toString(), "--tolerance", "0.25")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).get("gaps").get(0).get("recovery_iterations").asInt())
                .isEqualTo(2);
    }

    @Test
    void neverRecoveredAndUndefinedValuesAreNull() throws Exception {
        int status = run("--trace", trace("""
                iteration,task,eval_task,accuracy
                1,A,A,0.9
                2,B,A,0.5
                2,B,B,0.6
                """).toString());
        assertThat(status).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("fwt").isNull()).isTrue();
        assertThat(json.get("lca").isNull()).isTrue();
        assertThat(json.get("gaps").get(0).get("recovery_iterations").isNull()).isTrue();
        assertThat(json.get("gaps").get(0).get("depth").asDouble()).isCloseTo(0.4, EPS);
    }

    @Test
    void lossTraces() throws Exception {
        int status = run("--trace", trace("""
                iteration,task,eval_task,loss
                1,en,en,3.0
                2,de,en,3.6
                2,de,de,2.0
                """).toString(), "--direction", "loss");
        assertThat(status).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        // forgetting is a loss rise: 3.6 − 3.0 = 0.6
        assertThat(json.get("forgetting").asDouble()).isCloseTo(0.6, EPS);
        assertThat(json.get("direction").asText()).isEqualTo("loss");
    }

    @Test
    void malformedTraceGetsOneLineNamingTheLineAndStatusTwo() throws Exception {
        Path file = trace("iteration,task,eval_task,accuracy\n1,A,A,0.5\n2,A,A,1.7\n");
        int status = run("--trace", file.toString());
        assertThat(status).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo(
                "clpipe metrics: " + file + ": line 3: accuracy 1.7 is outside [0, 1]" + System.lineSeparator());
    }

    @Test
    void missingFileAndBadWindowAreErrorsToo() {
        assertThat(run("--trace", dir.resolve("nope.csv").toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("clpipe metrics: cannot read ").doesNotContain("\n\n");
        assertThat(run("--trace", dir.resolve("nope.csv").toString(), "--window", "1")).isEqualTo(2);
        assertThat(run()).as("--trace is required").isEqualTo(2);
    }

    @Test
    void isRegisteredUnderTheRootCommand() throws Exception {
        CommandLine root = Clpipe.commandLine();
        root.setOut(new PrintWriter(out));
        root.setErr(new PrintWriter(err));
        assertThat(root.execute("metrics", "--trace", trace(TRACE).toString())).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).get("min_acc").asDouble()).isCloseTo(0.40, EPS);
    }
}
