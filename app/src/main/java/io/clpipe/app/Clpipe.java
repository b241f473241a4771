package io.clpipe.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code clpipe} command: one entry point for every service and tool. */
@Command(name = "clpipe",
        mixinStandardHelpOptions = true,
        versionProvider = ClpipeVersion.class,
        description = "Continual learning on live Kafka data streams.",
        subcommands = {
            BrokerCommand.class,
            ProduceCommand.class,
            DemoCommand.class,
            io.clpipe.app.reproduce.ReproduceCommand.class,
            BenchCommand.class,
            IngestCommand.class,
            LearnerCommand.class,
            EvaluatorCommand.class,
            ScorerCommand.class,
            ControlCommand.class,
            ServeCommand.class,
            InspectCheckpointCommand.class,
            MetricsCommand.class,
            ChaosCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Clpipe implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Pick ND4J's CPU build (avx2 where available) before anything can load ND4J.
        io.clpipe.models.NativeEnvironment.prepare();
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests, which call {@code execute} without exiting). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Clpipe());
        cli.setExecutionExceptionHandler(new OperatorErrorHandler());
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
