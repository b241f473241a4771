package io.clpipe.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.MetricsJson;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import io.clpipe.evaluator.engine.TraceFormatException;
import io.clpipe.evaluator.engine.TraceMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clpipe metrics}: continual-evaluation metrics of a recorded trace, as one JSON object. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = {"Computes continual-evaluation metrics (ACC, min-ACC, WC-ACC, windowed forgetting/plasticity,",
            "LCA, accuracy matrix, forgetting, BWT, FWT, stability gaps) from a CSV trace with header",
            "iteration,task,eval_task,accuracy and prints them as one JSON object (docs/metrics.md).",
            "Exit status 2 when the trace is unreadable or malformed."})
final class MetricsCommand implements Callable<Integer> {

    static final int MALFORMED = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--trace", required = true, paramLabel = "FILE", description = "CSV trace to read.")
    Path trace;

    @Option(names = "--window", paramLabel = "W", defaultValue = "10",
            description = "Window of windowed forgetting/plasticity, in evaluations (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--direction", defaultValue = "accuracy", converter = DirectionConverter.class,
            description = "accuracy (higher is better) or loss (lower is better; last CSV column 'loss') (default: ${DEFAULT-VALUE}).")
    Direction direction;

    @Option(names = "--tolerance", defaultValue = "0.01",
            description = "How close to its pre-boundary score a task must come back to count as recovered (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (window < 2) {
            err.println("clpipe metrics: --window must be at least 2, got " + window);
            return MALFORMED;
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            err.println("clpipe metrics: --tolerance must be a finite number >= 0, got " + tolerance);
            return MALFORMED;
        }
        EngineConfig config = EngineConfig.defaults(direction)
                .withWindows(List.of(window))
                .withRecoveryTolerance(tolerance)
                .withGapHistory(Integer.MAX_VALUE);
        MetricsSnapshot snapshot;
        try (BufferedReader in = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            snapshot = new TraceMetrics(config).replay(in);
        } catch (TraceFormatException e) {
            err.println("clpipe metrics: " + trace + ": " + e.getMessage());
            return MALFORMED;
        } catch (IOException e) {
            err.println("clpipe metrics: cannot read " + trace + ": " + e.getMessage());
            return MALFORMED;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(new MetricsJson(new ObjectMapper()).report(snapshot, window).toPrettyString());
        out.flush();
        return 0;
    }

    static final class DirectionConverter implements ITypeConverter<Direction> {
        @Override
        public Direction convert(String value) {
            return Direction.parse(value);
        }
    }
}
