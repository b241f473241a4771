package io.clpipe.app.reproduce;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options every {@code clpipe reproduce} subcommand takes. */
final class ReproduceOptions {

    /**
     * Measured on the shared 2-core machine (docs/reproductions.md): one epoch per task of the three
     * stability-gap runs took 246 s, five epochs 600 s (10 min) for {@code reproduce all}.
     */
    static final String DEFAULT_EPOCHS = "5";

    @Option(names = "--epochs-per-task", defaultValue = DEFAULT_EPOCHS,
            description = "Passes over each task's training images (the paper: 10; default: ${DEFAULT-VALUE}, so that the runs stay short).")
    int epochs;

    @Option(names = "--train-per-task", defaultValue = "0", description = "Cap on training images per task (0 = all; for quick checks).")
    int trainPerTask;

    @Option(names = "--eval-per-task", defaultValue = "1000", description = "Eval samples per task (default: ${DEFAULT-VALUE}, as the paper).")
    int evalPerTask;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for data order, initialisation and replay (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Output folder (default: ./clpipe-out/reproduce-<subcommand>-<timestamp>).")
    Path out;

    @Option(names = "--verbose", description = "Show the services' INFO logs (default: warnings only).")
    boolean verbose;

    PaperSetting setting() {
        return new PaperSetting(epochs, trainPerTask, evalPerTask, seed);
    }

    Path outDir(String name) {
        return out != null ? out
                : Path.of("clpipe-out", "reproduce-" + name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    }

    /**
     * Keeps the console to progress and results: the services log warnings only, the embedded broker
     * errors only... except that the broker's own request-handler log ({@code kafka.*}) is switched off,
     * because it reports each retried transactional append as an ERROR; a real failure still stops the
     * run through the service that hit it.
     */
    void quietLogs() {
        if (verbose) {
            return;
        }
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger("io.clpipe").setLevel(ch.qos.logback.classic.Level.WARN);
            context.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.ERROR);
            context.getLogger("kafka").setLevel(ch.qos.logback.classic.Level.OFF);
            context.getLogger("org.nd4j").setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
