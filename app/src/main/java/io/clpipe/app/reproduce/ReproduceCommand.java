package io.clpipe.app.reproduce;

import io.clpipe.app.demo.DemoStrategy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code clpipe reproduce}: published continual-learning results, re-run through the pipeline (docs/reproductions.md). */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Re-runs published continual-learning experiments through the whole pipeline (embedded broker, ingest, "
                + "learner, evaluator) and prints their tables; docs/reproductions.md has the measured results.",
        subcommands = {ReproduceCommand.StabilityGap.class, ReproduceCommand.EvalFrequency.class, ReproduceCommand.All.class})
public final class ReproduceCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A subcommand: the shared options, quiet logs, one output folder named after the subcommand. */
    abstract static class Subcommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ReproduceOptions options;

        @Override
        public final Integer call() throws Exception {
            options.quietLogs();
            run(new Reproductions(options.setting(), options.outDir(spec.name()), spec.commandLine().getOut()));
            return 0;
        }

        abstract void run(Reproductions reproductions) throws Exception;
    }

    @Command(name = "stability-gap", mixinStandardHelpOptions = true,
            description = {"De Lange et al. 2023 on Split-MNIST: finetune, replay and replay + re-warm, evaluated every iteration;",
                "prints ACC, min-ACC, WC-ACC, WF10, forgetting, BWT, gap depth and recovery, and writes the figures."})
    static final class StabilityGap extends Subcommand {
        @Override
        void run(Reproductions reproductions) throws Exception {
            reproductions.stabilityGap();
        }
    }

    @Command(name = "eval-frequency", mixinStandardHelpOptions = true,
            description = "min-ACC and WC-ACC of a replay run (the stability-gap setting) as evaluation every ρ = 1, 10, 100, 1000 "
                    + "iterations reports them.")
    static final class EvalFrequency extends Subcommand {
        @Override
        void run(Reproductions reproductions) throws Exception {
            reproductions.evalFrequency(reproductions.replayRun());
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true,
            description = "stability-gap, then eval-frequency on its replay run (no second replay run).")
    static final class All extends Subcommand {
        @Override
        void run(Reproductions reproductions) throws Exception {
            StrategyRun replay = reproductions.stabilityGap().stream().filter(r -> r.strategy() == DemoStrategy.REPLAY)
                    .findFirst().orElseThrow();
            reproductions.evalFrequency(replay);
        }
    }
}
