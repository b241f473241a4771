package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A shortened {@code clpipe demo}, end to end through the real embedded broker and all three services. */
class DemoIT {

    @TempDir
    Path out;

    @Test
    void shortDemoWritesEveryFileWithTheSummaryKeys() throws Exception {
        CommandLine cli = Clpipe.commandLine();
        StringWriter console = new StringWriter();
        cli.setOut(new PrintWriter(console));
        int status = cli.execute("demo", "--scenario", "split-mnist", "--train-per-task", "256", "--eval-per-task", "100",
                "--batch-size", "32", "--eval-every", "4", "--dense-window", "8", "--out", out.toString(), "--metrics-port", "-1");
        assertThat(status).as(console.toString()).isZero();

        for (String file : List.of("metrics.jsonl", "summary.json", "report.html", "accuracy.png", "acc-minacc-wcacc.png",
                "learning-rate.png")) {
            assertThat(out.resolve(file)).as(file).isNotEmptyFile();
        }
        assertThat(ImageIO.read(out.resolve("accuracy.png").toFile())).isNotNull();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String key : List.of("acc", "min_acc", "wc_acc", "wf", "wp", "lca", "forgetting", "bwt", "fwt", "learning_acc",
                "accuracy_matrix", "gaps")) {
            assertThat(summary.has(key)).as("summary has %s", key).isTrue();
        }
        assertThat(summary.get("accuracy_matrix").size()).isEqualTo(5);
        // 5 tasks ⇒ 4 boundaries, each with its old tasks' gaps
        assertThat(summary.get("gaps").size()).isEqualTo(1 + 2 + 3 + 4);
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertThat(lines).isNotEmpty();
        assertThat(lines.get(lines.size() - 1)).contains("\"8-9\"");
        assertThat(console.toString()).contains("min-ACC").contains("report.html");
    }
}
