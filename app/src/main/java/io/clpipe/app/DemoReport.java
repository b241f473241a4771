package io.clpipe.app;

import io.clpipe.app.demo.DemoResult;
import io.clpipe.app.demo.DemoSettings;
import io.clpipe.ingest.scenario.ScenarioPlan;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the demo's output files and prints where they are. */
final class DemoReport {

    private DemoReport() {
    }

    static void write(Path outDir, DemoSettings settings, ScenarioPlan plan, DemoResult result, PrintWriter console) throws IOException {
        Path jsonl = outDir.resolve("metrics.jsonl");
        try (OutputStream out = Files.newOutputStream(jsonl)) {
            for (byte[] line : result.metricLines()) {
                out.write(line);
                out.write('\n');
            }
        }
        console.println("Metrics: " + jsonl.toAbsolutePath());
        console.flush();
    }
}
