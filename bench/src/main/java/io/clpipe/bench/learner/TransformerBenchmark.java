package io.clpipe.bench.learner;

import com.sun.management.OperatingSystemMXBean;
import io.clpipe.learner.engine.optim.Optimizer;
import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.models.CpuFeatures;
import io.clpipe.models.Model;
import io.clpipe.models.Models;
import io.clpipe.models.NativeEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code clpipe bench transformer}: one training step (forward, backward, AdamW) of the byte
 * Transformer, hand-written ({@code model.kind=byte-transformer}, the models module) against a
 * SameDiff graph of the same model ({@link SameDiffTransformer}), side by side in one run.
 *
 * <p>Procedure: one untimed run of each implementation at the first setting (JIT, class loading);
 * then for each repeat and each setting, the implementations run back to back, the
 * hand-written one first in even repeats and last in odd ones, never at the same time; each run
 * builds a fresh model from the same initial weights, runs the setting's warm-up steps untimed and
 * then its timed steps over a pool of synthetic batches. Reported: the median ms per step over the
 * repeats, and the median over the repeats of each SameDiff run's time over the hand-written run's
 * in the same repeat (which stays meaningful when other work on the machine comes and goes).
 */
public final class TransformerBenchmark {

    private static final int POOL = 4;

    /** What is timed. */
    enum Implementation {
        HAND_WRITTEN("hand-written (models)"),
        SAMEDIFF_FUSED("SameDiff, layer_norm op"),
        SAMEDIFF_EPSILON("SameDiff, LN with ε");

        final String label;

        Implementation(String label) {
            this.label = label;
        }
    }

    /**
     * Figures of one setting and implementation: wall-clock ms per step (median, fastest and slowest run), the median
     * paired wall time over the hand-written time, and the same two for the process's CPU time.
     */
    public record Row(String setting, long parameters, String implementation, double msPerStep, double fastestMs, double slowestMs,
                      double ratio, double cpuMsPerStep, double cpuRatio) {
    }

    private final TransformerBenchConfig config;

    public TransformerBenchmark(TransformerBenchConfig config) {
        this.config = config;
    }

    public List<Row> run(PrintStream out) {
        int originalThreads = NativeEnvironment.blasThreads();
        try {
            NativeEnvironment.blasThreads(config.blasThreads());
            return measure(out);
        } finally {
            NativeEnvironment.blasThreads(originalThreads);
        }
    }

    private List<Row> measure(PrintStream out) {
        out.printf(Locale.ROOT, "clpipe bench transformer: one training step (forward, backward, AdamW) of the byte Transformer,"
                + " hand-written (models module) vs a SameDiff graph of the same model; synthetic bytes; median of %d interleaved"
                + " repeats%n", config.repeats());
        out.printf(Locale.ROOT, "cpu: %s, %d cores; load average at start: %s%n", CpuFeatures.detect().modelName(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        out.println("ND4J: " + NativeEnvironment.describe().describe());
        SameDiffTransformer.AdamSettings adam = config.adam();
        out.printf(Locale.ROOT, "AdamW on both sides: lr %.0e, betas (%.3f, %.3f), eps %.0e, weight decay %.2f"
                + " (hand-written: the learner engine's AdamW; SameDiff: fit with Adam + weightDecay(λ, applyLR=true))%n",
                adam.learningRate(), adam.beta1(), adam.beta2(), adam.epsilon(), adam.weightDecay());
        for (TransformerBenchConfig.Setting s : config.settings()) {
            out.printf(Locale.ROOT, "setting %s: %d layers, width %d, context %d, %d heads, batch %d windows (%,d positions);"
                    + " %d warm-up + %d timed steps per run%n", s.name(), s.spec().layers(), s.spec().width(), s.spec().context(),
                    s.spec().heads(), s.windows(), s.windows() * s.spec().context(), s.warmupSteps(), s.timedSteps());
        }
        TransformerBenchConfig.Setting first = config.settings().get(0);
        for (Implementation implementation : Implementation.values()) {
            runOnce(first, implementation); // JIT and class loading, untimed
        }
        out.println("warm-up run of each implementation at setting " + first.name() + " done (not counted)");
        Map<String, Map<Implementation, List<Run>>> timings = new LinkedHashMap<>();
        Map<String, Long> parameters = new LinkedHashMap<>();
        for (int repeat = 0; repeat < config.repeats(); repeat++) {
            for (TransformerBenchConfig.Setting setting : config.settings()) {
                Map<Implementation, List<Run>> bySide = timings.computeIfAbsent(setting.name(),
                        k -> new EnumMap<>(Implementation.class));
                for (Implementation implementation : order(repeat)) {
                    Run run = runOnce(setting, implementation);
                    parameters.put(setting.name(), run.parameters());
                    bySide.computeIfAbsent(implementation, k -> new ArrayList<>()).add(run);
                }
            }
            out.printf(Locale.ROOT, "repeat %d/%d done%n", repeat + 1, config.repeats());
        }
        out.println("load average at end: " + loadAverage());
        List<Row> rows = rows(timings, parameters);
        print(rows, out);
        return rows;
    }

    private static List<Implementation> order(int repeat) {
        List<Implementation> order = new ArrayList<>(List.of(Implementation.values()));
        if (repeat % 2 == 1) {
            order.remove(Implementation.HAND_WRITTEN);
            order.add(Implementation.HAND_WRITTEN);
        }
        return order;
    }

    /** One timed run: its wall-clock and its measuring thread's CPU time. */
    private record Run(StepTiming wall, StepTiming cpu, long parameters) {
    }

    /** Builds a fresh model of {@code implementation} from the setting's initial weights and times its steps. */
    private Run runOnce(TransformerBenchConfig.Setting setting, Implementation implementation) {
        TransformerBatch[] pool = pool(setting);
        try (Model model = Models.create(setting.spec(), config.seed())) {
            if (implementation == Implementation.HAND_WRITTEN) {
                return handWritten(model, setting, pool);
            }
            SameDiffTransformer.LayerNorm norm = implementation == Implementation.SAMEDIFF_FUSED
                    ? SameDiffTransformer.LayerNorm.FUSED : SameDiffTransformer.LayerNorm.EPSILON;
            SameDiffTransformer graph = new SameDiffTransformer(setting.spec(), setting.windows(), model.parametersToArray(),
                    config.adam(), norm);
            if (graph.parameterCount() != model.parameterCount()) {
                throw new IllegalStateException("SameDiff graph has " + graph.parameterCount() + " parameters, the model "
                        + model.parameterCount());
            }
            for (int i = 0; i < setting.warmupSteps(); i++) {
                graph.step(pool[i % POOL].inputs());
            }
            Clock clock = new Clock();
            for (int i = 0; i < setting.timedSteps(); i++) {
                graph.step(pool[i % POOL].inputs());
            }
            Run run = clock.stop(setting, graph.parameterCount());
            checkFinite(graph.loss(pool[0].inputs()), implementation);
            return run;
        }
    }

    private Run handWritten(Model model, TransformerBenchConfig.Setting setting, TransformerBatch[] pool) {
        SameDiffTransformer.AdamSettings adam = config.adam();
        Optimizer optimizer = new OptimizerSpec.AdamW(adam.beta1(), adam.beta2(), adam.epsilon(), adam.weightDecay())
                .create(model.parameterCount());
        for (int i = 0; i < setting.warmupSteps(); i++) {
            model.computeGradients(pool[i % POOL].batch());
            optimizer.step(model.parameters(), model.gradients(), adam.learningRate());
        }
        double loss = 0;
        Clock clock = new Clock();
        for (int i = 0; i < setting.timedSteps(); i++) {
            loss = model.computeGradients(pool[i % POOL].batch());
            optimizer.step(model.parameters(), model.gradients(), adam.learningRate());
        }
        Run run = clock.stop(setting, model.parameterCount());
        checkFinite(loss, Implementation.HAND_WRITTEN);
        return run;
    }

    /**
     * Wall-clock and the JVM process's CPU time (every thread: BLAS and OpenMP workers, GC, JIT): the work a
     * step costs, far less sensitive than wall time to other processes competing for the cores.
     */
    private static final class Clock {
        private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final long wall = System.nanoTime();
        private final long cpu = OS.getProcessCpuTime();

        Run stop(TransformerBenchConfig.Setting setting, long parameters) {
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            double cpuSeconds = (OS.getProcessCpuTime() - cpu) / 1e9;
            return new Run(new StepTiming(setting.windows(), setting.timedSteps(), wallSeconds),
                    new StepTiming(setting.windows(), setting.timedSteps(), cpuSeconds), parameters);
        }
    }

    private static void checkFinite(double loss, Implementation implementation) {
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException(implementation.label + " diverged (loss " + loss + ")");
        }
    }

    private TransformerBatch[] pool(TransformerBenchConfig.Setting setting) {
        SplittableRandom random = new SplittableRandom(config.seed() + setting.spec().context());
        TransformerBatch[] pool = new TransformerBatch[POOL];
        for (int i = 0; i < POOL; i++) {
            pool[i] = TransformerBatch.random(setting.windows(), setting.spec().context(), random);
        }
        return pool;
    }

    private static List<Row> rows(Map<String, Map<Implementation, List<Run>>> timings, Map<String, Long> parameters) {
        List<Row> rows = new ArrayList<>();
        for (var setting : timings.entrySet()) {
            List<Run> hand = setting.getValue().get(Implementation.HAND_WRITTEN);
            List<StepTiming> handWall = hand.stream().map(Run::wall).toList();
            List<StepTiming> handCpu = hand.stream().map(Run::cpu).toList();
            for (var side : setting.getValue().entrySet()) {
                List<StepTiming> wall = side.getValue().stream().map(Run::wall).toList();
                List<StepTiming> cpu = side.getValue().stream().map(Run::cpu).toList();
                double fastest = wall.stream().mapToDouble(StepTiming::msPerStep).min().orElseThrow();
                double slowest = wall.stream().mapToDouble(StepTiming::msPerStep).max().orElseThrow();
                rows.add(new Row(setting.getKey(), parameters.get(setting.getKey()), side.getKey().label,
                        Medians.of(wall).msPerStep(), fastest, slowest, Medians.ofPairedRatios(handWall, wall),
                        Medians.of(cpu).msPerStep(), Medians.ofPairedRatios(handCpu, cpu)));
            }
        }
        return rows;
    }

    private static void print(List<Row> rows, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%-8s %10s  %-24s %10s %17s %8s %12s %8s%n", "setting", "parameters", "implementation", "ms/step",
                "fastest-slowest", "x hand", "CPU ms/step", "x hand");
        String previous = null;
        for (Row row : rows) {
            if (previous != null && !previous.equals(row.setting())) {
                out.println();
            }
            previous = row.setting();
            out.printf(Locale.ROOT, "%-8s %,10d  %-24s %10.1f %17s %8.2f %12.1f %8.2f%n", row.setting(), row.parameters(),
                    row.implementation(), row.msPerStep(), String.format(Locale.ROOT, "%.1f-%.1f", row.fastestMs(), row.slowestMs()),
                    row.ratio(), row.cpuMsPerStep(), row.cpuRatio());
        }
        out.println();
        out.println("ms/step: wall clock, median over repeats. x hand: the median over repeats of this run's time over the"
                + " hand-written run's in the same repeat; above 1 the hand-written step is faster. CPU ms/step: the JVM's CPU"
                + " time per step (all threads), less sensitive than wall time to other work on the machine.");
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
