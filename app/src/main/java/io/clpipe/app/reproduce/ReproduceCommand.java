package io.clpipe.app.reproduce;

import io.clpipe.app.demo.DemoStrategy;
import io.clpipe.datasets.DataDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clpipe reproduce}: published continual-learning results, re-run through the pipeline (docs/reproductions.md). */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Re-runs published continual-learning experiments through the whole pipeline (embedded broker, ingest, "
                + "learner, evaluator) and prints their tables; docs/reproductions.md has the measured results.",
        subcommands = {ReproduceCommand.StabilityGap.class, ReproduceCommand.EvalFrequency.class, ReproduceCommand.All.class,
            ReproduceCommand.Rewarm.class, ReproduceCommand.Drift.class})
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

    @Command(name = "rewarm", mixinStandardHelpOptions = true,
            description = {"Continual pre-training of a byte-level LM from English to German man pages (Gupta et al. 2023, Ibrahim et al. "
                + "2024, Abbes et al. 2025): union from scratch, constant low LR, re-warm + re-decay with 0/1/5/25%% replay, an "
                + "infinite schedule, 25%% replay + Reptile, all on the same number of steps;",
                "prints final validation loss on EN, DE and their mean, and writes loss curves with the switch marked."})
    static final class Rewarm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--quick", description = "150 KB of text per domain and 32 bytes of context instead of 500 KB and 64 (docs/reproductions.md has the timings).")
        boolean quick;

        @Option(names = "--arms", split = ",", description = "Only these arms (default: all): union, constant-lr, rewarm, "
                + "rewarm+replay-1%%, rewarm+replay-5%%, rewarm+replay-25%% (replay of EN only), infinite, rewarm+replay-25%%+reptile, "
                + "rewarm+tb-replay-1%%, -5%%, -25%% (the earlier task-balanced replay of both domains).")
        List<String> arms;

        @Option(names = "--seed", defaultValue = "1", description = "Document order, initialisation and replay (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--model", defaultValue = "mlp", description = "mlp (the byte-lm: embedding + MLP over a window) or transformer "
                + "(a 2-layer causal Transformer byte LM; docs/reproductions.md). Default: ${DEFAULT-VALUE}.")
        String model;

        @Option(names = "--out", description = "Output folder (default: ./clpipe-out/reproduce-rewarm-<timestamp>).")
        Path out;

        @Option(names = "--verbose", description = "Show the services' INFO logs (default: warnings only).")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            ReproduceOptions options = new ReproduceOptions();
            options.verbose = verbose;
            options.out = out;
            options.quietLogs();
            RewarmSetting setting = switch (model.toLowerCase(java.util.Locale.ROOT)) {
                case "mlp", "byte-lm" -> quick ? RewarmSetting.quick(seed) : RewarmSetting.full(seed);
                case "transformer", "byte-transformer" -> quick ? RewarmSetting.transformerQuick(seed) : RewarmSetting.transformer(seed);
                default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--model: mlp or transformer, not '" + model + "'");
            };
            new RewarmReproduction(setting, options.outDir("rewarm"), spec.commandLine().getOut())
                    .run(arms == null || arms.isEmpty() ? List.of(RewarmArm.values()) : arms.stream().map(RewarmArm::parse).toList(),
                            DataDirectory.resolve());
            return 0;
        }
    }

    @Command(name = "drift", mixinStandardHelpOptions = true,
            description = {"Task-free Permuted-MNIST (or Rotated-MNIST): the scenario is sent with no task field and ingest's drift detectors",
                "must find the switches; prints each switch's detection delay (samples after it, train and eval), the false alarms,",
                "and, from a whole-pipeline run, the learner's re-warms and the evaluator's stability gaps of the detected segments."})
    static final class Drift implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--quick", description = "3 tasks × (500 eval + 2000 train) instead of 5 × (1000 + 6000).")
        boolean quick;

        @Option(names = "--scenario", defaultValue = "permuted-mnist", description = "permuted-mnist or rotated-mnist (default: ${DEFAULT-VALUE}).")
        String scenario;

        @Option(names = "--detection-only", description = "Only the detectors (ingest's routing code over the stream), no pipeline run.")
        boolean detectionOnly;

        @Option(names = "--seed", defaultValue = "1", description = "Permutations, subsets, order, initialisation and replay (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", description = "Output folder (default: ./clpipe-out/reproduce-drift-<timestamp>).")
        Path out;

        @Option(names = "--verbose", description = "Show the services' INFO logs (default: warnings only).")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            if (!scenario.equals("permuted-mnist") && !scenario.equals("rotated-mnist")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--scenario must be permuted-mnist or rotated-mnist");
            }
            ReproduceOptions options = new ReproduceOptions();
            options.verbose = verbose;
            options.out = out;
            options.quietLogs();
            DriftSetting setting = quick ? DriftSetting.quick(scenario, seed, !detectionOnly) : DriftSetting.full(scenario, seed, !detectionOnly);
            new DriftReproduction(setting, options.outDir("drift"), spec.commandLine().getOut()).run();
            return 0;
        }
    }
}
