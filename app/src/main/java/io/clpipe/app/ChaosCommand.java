package io.clpipe.app;

import io.clpipe.harness.chaos.ChaosRunner;
import io.clpipe.harness.chaos.ChaosSettings;
import io.clpipe.harness.chaos.ChaosTable;
import io.clpipe.harness.chaos.Fault;
import io.clpipe.harness.chaos.FaultResult;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code clpipe chaos}: the fault-injection suite, longer than the integration test's, with a table of what was lost. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Injects faults into a pipeline of service JVMs on an embedded broker (broker restarts, SIGKILL of",
            "learner/evaluator/ingest, a corrupt newest checkpoint, NaN/Inf losses, the loss of one of two learners) and",
            "prints what was lost: samples, metrics, weights vs an uninterrupted run. Exits 1 unless everything is 0."})
final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "The shortened suite of the integration test.")
    boolean quick;

    @Option(names = "--faults", split = ",", paramLabel = "FAULT",
            description = "Faults to inject (default: all): ${COMPLETION-CANDIDATES}.")
    List<Fault> faults;

    @Option(names = "--seed", description = "Seed of the stream and of the injection moments (default: 11).")
    Long seed;

    @Option(names = "--work", paramLabel = "DIR", description = "Scratch directory: broker data, service logs (default: a new temporary one).")
    Path work;

    @Override
    public Integer call() throws Exception {
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("clpipe-chaos-");
        ChaosSettings settings = quick ? ChaosSettings.quick(dir) : ChaosSettings.full(dir);
        if (faults != null && !faults.isEmpty()) {
            settings = settings.withFaults(faults);
        }
        if (seed != null) {
            settings = settings.withSeed(seed);
        }
        PrintStream out = System.out;
        out.printf("clpipe chaos: %s, %d streams x 2 tasks x %d training samples, %d kills, %d broker restarts, %d corruptions,"
                        + " %d poison samples, seed %d; logs under %s%n", settings.faults(), settings.streams(), settings.perTask(),
                settings.kills(), settings.brokerRestarts(), settings.corruptions(), settings.poisonSamples(), settings.seed(), dir);
        long started = System.nanoTime();
        List<FaultResult> results = new ChaosRunner(settings, out).run();
        out.println();
        out.print(ChaosTable.render(results));
        out.printf("%nTotal %d s.%n", (System.nanoTime() - started) / 1_000_000_000L);
        return results.stream().allMatch(FaultResult::clean) ? 0 : 1;
    }
}
