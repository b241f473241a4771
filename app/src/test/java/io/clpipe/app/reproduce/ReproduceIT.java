package io.clpipe.app.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clpipe.app.Clpipe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code clpipe reproduce all} with a tiny sample cap, end to end through the embedded broker and the three services. */
class ReproduceIT {

    @TempDir
    Path out;

    @Test
    void tinyReproductionPrintsBothTablesAndWritesTheFigures() throws Exception {
        CommandLine cli = Clpipe.commandLine();
        StringWriter console = new StringWriter();
        cli.setOut(new PrintWriter(console));
        int status = cli.execute("reproduce", "all", "--train-per-task", "300", "--eval-per-task", "50", "--epochs-per-task", "1",
                "--out", out.toString());
        String text = console.toString();
        assertThat(status).as(text).isZero();

        assertThat(text).contains("1 epoch per task (the paper: 10)");
        List<String> table = text.lines().dropWhile(l -> !l.startsWith("Stability gap,")).skip(1).limit(4).toList();
        assertThat(table.get(0)).contains("ACC", "min-ACC", "WC-ACC", "WF10", "forgetting", "BWT", "mean gap depth", "mean recovery");
        assertThat(table.subList(1, 4)).extracting(l -> l.strip().split("\\s+")[0]).containsExactly("finetune", "replay", "replay-rewarm");
        List<String> rhos = text.lines().dropWhile(l -> !l.strip().startsWith("ρ ")).skip(1).limit(4).toList();
        assertThat(rhos).extracting(l -> l.strip().split("\\s+")[0]).containsExactly("1", "10", "100", "1000");
        assertThat(text).contains("n mod ρ = 0");

        for (String png : List.of("stability-gap.png", "stability-gap-boundaries.png", "eval-frequency.png")) {
            assertThat(ImageIO.read(out.resolve(png).toFile())).as(png).isNotNull();
        }
        assertThat(out.resolve("stability-gap.md")).content().contains("| replay-rewarm |");
        assertThat(out.resolve("eval-frequency.md")).content().contains("| 1000 |");
        for (String strategy : List.of("finetune", "replay", "replay-rewarm")) {
            var summary = new ObjectMapper().readTree(out.resolve(strategy).resolve("summary.json").toFile());
            assertThat(summary.get("accuracy_matrix").size()).as(strategy).isEqualTo(5);
            assertThat(summary.get("run").get("strategy").asText()).isEqualTo(strategy);
        }
    }
}
