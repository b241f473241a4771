package io.clpipe.bench.evaluator;

import io.clpipe.datasets.Mnist;
import io.clpipe.models.CpuFeatures;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.Models;
import io.clpipe.models.NativeEnvironment;
import io.clpipe.models.SgemmMeter;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.avro.ModelSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code clpipe bench evaluator}: how many full evaluations per second the evaluator sustains on an
 * MLP snapshot (784-400-400-10 by default), each evaluation being what the evaluator service does
 * per snapshot: decode the snapshot's bytes into the model, score every task's 1000-sample eval
 * subset with {@code Model.evaluate}, feed the continual-metrics engine.
 *
 * <p>Procedure: build the eval subsets (real MNIST test split as Split-MNIST pairs through the
 * evaluator's own eval sets, or synthetic data when the cache lacks MNIST, said in the output), two
 * snapshots of differently seeded models (alternated, so no evaluation reuses the previous one's
 * parameters), and one model per chunk size; then {@code repeats} rounds, each running every
 * (threads, chunk) setting for the warm-up and timed evaluations, in reverse order on odd rounds,
 * and measuring the sgemm peak per thread count (the best over the rounds is the reference of the
 * forward pass's GFLOP/s); report medians and min–max. Then the metrics engine
 * alone, and the learner's step and snapshot rate on the same MLP (the rate the evaluator faces at
 * ρ = 1).
 */
public final class EvaluatorBenchmark {

    /** Evaluations per learning task in the timed pipeline (boundaries keep the gap tracking busy). */
    private static final long ITERATIONS_PER_TASK = 20;
    /** CPU time of the measuring thread: with one OpenBLAS thread all the work runs on it, so rates per CPU-second are per core. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final EvaluatorBenchConfig config;
    private final Supplier<Mnist> mnist;

    public EvaluatorBenchmark(EvaluatorBenchConfig config) {
        this(config, Mnist::load);
    }

    /** @param mnist supplies MNIST (throws {@code DatasetMissingException} when it is not cached) */
    public EvaluatorBenchmark(EvaluatorBenchConfig config, Supplier<Mnist> mnist) {
        this.config = config;
        this.mnist = mnist;
    }

    public EvaluatorBenchReport run(PrintWriter out) {
        int originalThreads = NativeEnvironment.blasThreads();
        try {
            return measure(out);
        } finally {
            NativeEnvironment.blasThreads(originalThreads);
            out.flush();
        }
    }

    private EvaluatorBenchReport measure(PrintWriter out) {
        out.printf(Locale.ROOT, "clpipe bench evaluator: MLP %s, %d tasks × %d eval samples, chunk sizes %s, OpenBLAS threads %s,"
                        + " %d warm-up + %d timed evaluations per run, median of %d interleaved repeats%n",
                config.architecture(), config.tasks(), config.samplesPerTask(), config.chunkSizes(), config.blasThreads(),
                config.warmupEvaluations(), config.timedEvaluations(), config.repeats());
        out.printf(Locale.ROOT, "cpu: %s, %d cores; load average at start: %s%n", CpuFeatures.detect().modelName(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        out.println("ND4J: " + NativeEnvironment.describe().describe());
        EvalTasks tasks = config.data() == EvaluatorBenchConfig.DataChoice.SYNTHETIC
                ? EvalTasks.synthetic(config.tasks(), config.samplesPerTask(), config.seed())
                : EvalTasks.load(config.tasks(), config.samplesPerTask(), config.seed(), mnist);
        out.println("data: " + tasks.source());
        out.flush();

        AvroSerde<ModelSnapshot> serde = AvroSerde.modelSnapshot();
        List<PipelineRow> rows;
        Map<String, Double> lastScores;
        List<Model> models = new ArrayList<>();
        try {
            Map<Integer, EvaluationPipeline> pipelines = new LinkedHashMap<>();
            for (int chunk : config.chunkSizes()) {
                Model model = Models.create(spec(chunk), config.seed());
                models.add(model);
                pipelines.put(chunk, new EvaluationPipeline(model, tasks, serde, ITERATIONS_PER_TASK));
            }
            List<byte[]> snapshots = snapshots(serde, tasks);
            out.printf(Locale.ROOT, "snapshot: %,d parameters, %,d bytes on the models topic%n",
                    models.get(0).parameterCount(), snapshots.get(0).length);
            rows = measurePipelines(pipelines, snapshots, out);
            lastScores = pipelines.values().iterator().next().lastScores();
        } finally {
            models.forEach(Model::close);
        }
        out.println("accuracy of the (untrained) snapshot per task, a check that real scoring happened: " + format(lastScores));
        Spread engine = measureEngineAlone();
        List<LearnerRow> learner = measureLearner(serde, tasks, out);
        out.println("load average at end: " + loadAverage());
        EvaluatorBenchReport report = new EvaluatorBenchReport(config.architecture(), tasks.source(), config.tasks(),
                tasks.samples(), rows, engine, learner);
        EvaluatorBenchTable.print(report, out);
        return report;
    }

    private List<PipelineRow> measurePipelines(Map<Integer, EvaluationPipeline> pipelines, List<byte[]> snapshots, PrintWriter out) {
        Map<Integer, Double> peaks = new TreeMap<>();
        List<int[]> settings = new ArrayList<>();
        for (int threads : config.blasThreads()) {
            for (int chunk : config.chunkSizes()) {
                settings.add(new int[] {threads, chunk});
            }
        }
        Map<String, List<TimedRun>> runs = new LinkedHashMap<>();
        int next = 0;
        for (int repeat = 0; repeat < config.repeats(); repeat++) {
            List<int[]> order = new ArrayList<>(settings);
            if (repeat % 2 == 1) {
                Collections.reverse(order);
            }
            for (int[] setting : order) {
                NativeEnvironment.blasThreads(setting[0]);
                EvaluationPipeline pipeline = pipelines.get(setting[1]);
                for (int i = 0; i < config.warmupEvaluations(); i++) {
                    pipeline.evaluate(snapshots.get(next++ % snapshots.size()));
                }
                PhaseNanos phases = PhaseNanos.ZERO;
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                for (int i = 0; i < config.timedEvaluations(); i++) {
                    phases = phases.plus(pipeline.evaluate(snapshots.get(next++ % snapshots.size())));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
                runs.computeIfAbsent(key(setting), k -> new ArrayList<>()).add(new TimedRun(seconds, cpuSeconds, phases));
            }
            measurePeaks(peaks);
            out.printf(Locale.ROOT, "repeat %d/%d done%n", repeat + 1, config.repeats());
            out.flush();
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "sgemm %d³ peak (best of every repeat):", config.sgemmPeakSize()));
        peaks.forEach((threads, gflops) -> line.append(String.format(Locale.ROOT, " %d thread%s %.1f GFLOP/s;",
                threads, threads == 1 ? "" : "s", gflops)));
        out.println(line);
        double flopsPerSample = flopsPerSample();
        List<PipelineRow> rows = new ArrayList<>();
        for (int[] setting : settings) {
            List<TimedRun> measured = runs.get(key(setting));
            int n = config.timedEvaluations();
            Spread rate = Spread.of(measured.stream().map(r -> n / r.seconds).toList());
            double decode = median(measured.stream().map(r -> r.phases.decode() / 1e6 / n).toList());
            double forward = median(measured.stream().map(r -> r.phases.forward() / 1e6 / n).toList());
            double metrics = median(measured.stream().map(r -> r.phases.metrics() / 1e6 / n).toList());
            double samplesPerSecond = median(measured.stream().map(r -> r.phases.samples() / (r.phases.forward() / 1e9)).toList());
            double gflops = samplesPerSecond * flopsPerSample / 1e9;
            rows.add(new PipelineRow(setting[0], setting[1], rate, decode, forward, metrics, samplesPerSecond, gflops,
                    gflops / peaks.get(setting[0])));
            if (setting[0] == 1) {
                Spread perCpu = Spread.of(measured.stream().map(r -> n / r.cpuSeconds).toList());
                out.printf(Locale.ROOT, "per core: 1 OpenBLAS thread, chunk %d: %.2f evaluations per CPU-second (%.2f–%.2f); wall"
                                + " %.2f/s, so this process had %.0f%% of a core%n", setting[1], perCpu.median(), perCpu.min(),
                        perCpu.max(), rate.median(), 100 * rate.median() / perCpu.median());
            }
        }
        return rows;
    }

    private Spread measureEngineAlone() {
        EngineAloneRun run = new EngineAloneRun(config.tasks(), config.engineEvaluations(), config.seed());
        run.seconds(); // warm-up: one full pass
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < config.repeats(); r++) {
            rates.add(run.evaluations() / run.seconds());
        }
        return Spread.of(rates);
    }

    private List<LearnerRow> measureLearner(AvroSerde<ModelSnapshot> serde, EvalTasks tasks, PrintWriter out) {
        List<LearnerRow> rows = new ArrayList<>();
        try (Model model = Models.create(spec(config.learnerBatch()), config.seed())) {
            LearnerSnapshotRun run = new LearnerSnapshotRun(model, config.learnerBatch(), serde, tasks.names(), config.seed());
            for (int threads : config.blasThreads()) {
                NativeEnvironment.blasThreads(threads);
                run.seconds(config.learnerSteps(), true);
                List<Double> steps = new ArrayList<>();
                List<Double> snapshots = new ArrayList<>();
                List<Double> stepsPerCpu = new ArrayList<>();
                List<Double> snapshotsPerCpu = new ArrayList<>();
                for (int r = 0; r < config.repeats(); r++) {
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    steps.add(config.learnerSteps() / run.seconds(config.learnerSteps(), false));
                    long cpuMid = THREADS.getCurrentThreadCpuTime();
                    snapshots.add(config.learnerSteps() / run.seconds(config.learnerSteps(), true));
                    stepsPerCpu.add(config.learnerSteps() / ((cpuMid - cpu) / 1e9));
                    snapshotsPerCpu.add(config.learnerSteps() / ((THREADS.getCurrentThreadCpuTime() - cpuMid) / 1e9));
                }
                if (threads == 1) {
                    out.printf(Locale.ROOT, "learner per core: 1 OpenBLAS thread, batch %d: %.1f steps per CPU-second without"
                                    + " snapshots, %.1f encoding a snapshot every step%n", config.learnerBatch(),
                            Spread.of(stepsPerCpu).median(), Spread.of(snapshotsPerCpu).median());
                }
                rows.add(new LearnerRow(threads, config.learnerBatch(), Spread.of(steps), Spread.of(snapshots)));
            }
        }
        return rows;
    }

    /** Raises each thread count's sgemm peak to what the BLAS reaches now (the machine may be shared). */
    private void measurePeaks(Map<Integer, Double> peaks) {
        int n = config.sgemmPeakSize();
        for (int threads : config.blasThreads()) {
            NativeEnvironment.blasThreads(threads);
            peaks.merge(threads, SgemmMeter.gflops(n, n, n, 3, 3), Math::max);
        }
    }

    /** Two snapshots of differently seeded models, so consecutive evaluations load different parameters. */
    private List<byte[]> snapshots(AvroSerde<ModelSnapshot> serde, EvalTasks tasks) {
        List<byte[]> out = new ArrayList<>();
        for (long s = 0; s < 2; s++) {
            try (Model model = Models.create(spec(config.chunkSizes().get(0)), config.seed() + 1 + s)) {
                out.add(SnapshotBytes.of(model, serde, s + 1, tasks.names().get(0), tasks.names()));
            }
        }
        return out;
    }

    private ModelSpec.Mlp spec(int maxBatch) {
        return new ModelSpec.Mlp(EvalTasks.INPUT_DIM, config.hidden(), EvalTasks.CLASSES, maxBatch);
    }

    /** Multiply-adds of the dense layers, ×2. */
    private double flopsPerSample() {
        double macs = 0;
        int in = EvalTasks.INPUT_DIM;
        for (int h : config.hidden()) {
            macs += (double) in * h;
            in = h;
        }
        macs += (double) in * EvalTasks.CLASSES;
        return 2 * macs;
    }

    private static String key(int[] setting) {
        return setting[0] + "/" + setting[1];
    }

    private static double median(List<Double> values) {
        return Spread.of(values).median();
    }

    private static String format(Map<String, Double> scores) {
        StringBuilder s = new StringBuilder();
        scores.forEach((task, accuracy) -> s.append(s.isEmpty() ? "" : ", ").append(task).append(' ')
                .append(String.format(Locale.ROOT, "%.3f", accuracy)));
        return s.toString();
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** One timed run of one setting. */
    private record TimedRun(double seconds, double cpuSeconds, PhaseNanos phases) {
    }
}
