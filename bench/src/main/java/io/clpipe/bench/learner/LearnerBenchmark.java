package io.clpipe.bench.learner;

import com.fasterxml.jackson.databind.JsonNode;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.models.CpuFeatures;
import io.clpipe.models.NativeEnvironment;
import io.clpipe.models.SgemmMeter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * {@code clpipe bench learner}: the ND4J training step of MLP 784-256-256-10 against the same step
 * in PyTorch (bench/torch_mlp.py), side by side in one run.
 *
 * <p>Procedure: pick ND4J's fastest OpenBLAS thread count per batch size (fused SGD, short runs);
 * measure sgemm peaks; then {@code repeats} rounds, each running every batch size × update rule
 * on both sides back to back — ND4J first in even rounds, PyTorch first in odd ones — with the same
 * warm-up and timed step counts; report medians. The two never run at the same time.
 */
public final class LearnerBenchmark {

    private static final int PEAK_SIZE = 1024;

    private final BenchConfig config;
    private final Nd4jStepRunner nd4j;

    public LearnerBenchmark(BenchConfig config) {
        this.config = config;
        this.nd4j = new Nd4jStepRunner(config.seed());
    }

    public BenchReport run(PrintStream out) {
        int originalThreads = NativeEnvironment.blasThreads();
        try {
            return measure(out);
        } finally {
            NativeEnvironment.blasThreads(originalThreads);
        }
    }

    private BenchReport measure(PrintStream out) {
        CpuFeatures cpu = CpuFeatures.detect();
        out.printf(Locale.ROOT, "clpipe bench learner: MLP 784-256-256-10 (ReLU, softmax cross-entropy), synthetic data"
                + " (features U[0,1), 10 classes), %d warm-up + %d timed steps per run, median of %d interleaved repeats%n",
                config.warmupSteps(), config.timedSteps(), config.repeats());
        out.printf(Locale.ROOT, "cpu: %s, %d cores; load average at start: %s%n", cpu.modelName(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        out.println("ND4J: " + NativeEnvironment.describe().describe());

        Optional<String> torchProblem = Optional.empty();
        TorchPeer peer = null;
        try {
            peer = TorchPeer.start(config.torchCommand(), config.torchBlasThreads());
            describePeer(peer.hello(), out);
        } catch (TorchUnavailableException e) {
            torchProblem = Optional.of(e.getMessage());
            out.println("PyTorch: unavailable (" + e.getMessage() + "); printing ND4J figures only."
                    + " Install it with scripts/install-bench-deps.sh.");
        }
        try {
            Map<Integer, Integer> threads = chooseNd4jThreads(out);
            Map<Integer, Double> peaks = measurePeaks(threads, peer, out);
            Results results = new Results();
            for (int repeat = 0; repeat < config.repeats(); repeat++) {
                for (int batch : config.batches()) {
                    NativeEnvironment.blasThreads(threads.get(batch));
                    for (BenchOptimizer optimizer : BenchOptimizer.values()) {
                        boolean torchFirst = repeat % 2 == 1;
                        if (torchFirst && peer != null) {
                            peer = runTorch(peer, batch, optimizer, results, out);
                        }
                        for (Nd4jVariant variant : Nd4jVariant.all()) {
                            if (variant.optimizer() == optimizer) {
                                results.nd4j(batch, variant).add(nd4j.run(batch, variant, config.warmupSteps(), config.timedSteps()));
                            }
                        }
                        if (!torchFirst && peer != null) {
                            peer = runTorch(peer, batch, optimizer, results, out);
                        }
                    }
                }
                out.printf(Locale.ROOT, "repeat %d/%d done%n", repeat + 1, config.repeats());
            }
            out.println("load average at end: " + loadAverage());
            Optional<String> problem = torchProblem.or(() -> Optional.ofNullable(results.torchFailure));
            BenchReport report = new BenchReport(results.rows(config, threads, peaks), problem);
            BenchTable.print(report, ServiceDefault.of(LearnerConfig.defaults()), out);
            return report;
        } finally {
            if (peer != null) {
                peer.close();
            }
        }
    }

    /** Runs one PyTorch measurement; a peer that fails is closed and dropped (returns null). */
    private TorchPeer runTorch(TorchPeer peer, int batch, BenchOptimizer optimizer, Results results, PrintStream out) {
        try {
            results.torch(batch, optimizer).add(peer.measure(batch, optimizer, config.warmupSteps(), config.timedSteps(), config.seed()));
            return peer;
        } catch (TorchUnavailableException e) {
            results.torchFailure = e.getMessage();
            out.println("PyTorch peer failed, continuing with ND4J only: " + e.getMessage());
            peer.close();
            return null;
        }
    }

    private Map<Integer, Integer> chooseNd4jThreads(PrintStream out) {
        Map<Integer, Integer> chosen = new TreeMap<>();
        Nd4jVariant probe = new Nd4jVariant(BenchOptimizer.SGD, true);
        int steps = Math.max(1, config.timedSteps() / 2);
        for (int batch : config.batches()) {
            StringBuilder line = new StringBuilder("ND4J OpenBLAS threads at batch " + batch + " (fused SGD):");
            double best = -1;
            for (int t : config.nd4jBlasThreads()) {
                NativeEnvironment.blasThreads(t);
                List<StepTiming> runs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    runs.add(nd4j.run(batch, probe, config.warmupSteps(), steps));
                }
                double rate = Medians.of(runs).samplesPerSecond();
                line.append(String.format(Locale.ROOT, " %d → %,.0f/s;", t, rate));
                if (rate > best) {
                    best = rate;
                    chosen.put(batch, t);
                }
            }
            out.println(line.append(" using ").append(chosen.get(batch)));
        }
        return chosen;
    }

    private Map<Integer, Double> measurePeaks(Map<Integer, Integer> threads, TorchPeer peer, PrintStream out) {
        Map<Integer, Double> peaks = new TreeMap<>();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "sgemm %d³ peak:", PEAK_SIZE));
        for (int t : threads.values().stream().distinct().sorted().toList()) {
            NativeEnvironment.blasThreads(t);
            double gflops = SgemmMeter.gflops(PEAK_SIZE, PEAK_SIZE, PEAK_SIZE, 5, 5);
            peaks.put(t, gflops);
            line.append(String.format(Locale.ROOT, " ND4J's OpenBLAS %d thread%s %.1f GFLOP/s;", t, t == 1 ? "" : "s", gflops));
        }
        if (peer != null) {
            try {
                line.append(String.format(Locale.ROOT, " PyTorch's BLAS (%d threads) %.1f GFLOP/s",
                        config.torchBlasThreads(), peer.sgemmGflops(PEAK_SIZE, PEAK_SIZE, PEAK_SIZE, 5)));
            } catch (TorchUnavailableException e) {
                line.append(" PyTorch's BLAS: ").append(e.getMessage());
            }
        }
        out.println(line);
        return peaks;
    }

    private void describePeer(JsonNode hello, PrintStream out) {
        JsonNode env = hello.path("env");
        List<String> blas = new ArrayList<>();
        hello.path("blas").forEach(path -> blas.add(Path.of(path.asText()).getFileName().toString()));
        out.printf(Locale.ROOT, "PyTorch: %s (Python %s), %d torch thread(s), BLAS %s, OPENBLAS_NUM_THREADS=%s%n",
                hello.path("torch").asText(), hello.path("python").asText(), hello.path("threads").asInt(),
                blas.isEmpty() ? "unknown" : String.join(" + ", blas), env.path("OPENBLAS_NUM_THREADS").asText());
        if (blas.stream().anyMatch(name -> name.equals("libblas.so.3")) && blas.stream().noneMatch(name -> name.contains("openblas"))) {
            out.println("WARNING: PyTorch runs on the reference BLAS; install libopenblas0-pthread (scripts/install-bench-deps.sh)");
        }
        Map<String, String> mine = System.getenv();
        List<String> differences = new ArrayList<>();
        for (String key : List.of("OPENBLAS_CORETYPE", "OMP_NUM_THREADS")) {
            String ours = mine.getOrDefault(key, "unset");
            String theirs = env.path(key).asText("unset");
            if (!ours.equals(theirs)) {
                differences.add(key + ": ND4J " + ours + ", PyTorch " + theirs);
            }
        }
        out.println(differences.isEmpty()
                ? "BLAS environment: the same for both (OPENBLAS_CORETYPE=" + mine.getOrDefault("OPENBLAS_CORETYPE", "unset")
                        + ", OMP_NUM_THREADS=" + mine.getOrDefault("OMP_NUM_THREADS", "unset") + ")"
                : "WARNING: BLAS environment differs (" + String.join("; ", differences)
                        + "): start the JVM through ./clpipe or scripts/blas-env.sh for a fair comparison");
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Raw timings by (batch, variant) and (batch, optimizer). */
    private static final class Results {
        private final Map<String, List<StepTiming>> nd4j = new LinkedHashMap<>();
        private final Map<String, List<StepTiming>> torch = new HashMap<>();
        private String torchFailure;

        List<StepTiming> nd4j(int batch, Nd4jVariant variant) {
            return nd4j.computeIfAbsent(batch + "/" + variant.label(), k -> new ArrayList<>());
        }

        List<StepTiming> torch(int batch, BenchOptimizer optimizer) {
            return torch.computeIfAbsent(batch + "/" + optimizer.name(), k -> new ArrayList<>());
        }

        List<BenchRow> rows(BenchConfig config, Map<Integer, Integer> threads, Map<Integer, Double> peaks) {
            List<BenchRow> rows = new ArrayList<>();
            for (int batch : config.batches()) {
                for (Nd4jVariant variant : Nd4jVariant.all()) {
                    StepTiming median = Medians.of(nd4j(batch, variant));
                    double gflops = Nd4jStepRunner.flopsPerStep(batch) / (median.msPerStep() * 1e-3) / 1e9;
                    List<StepTiming> peer = torch.getOrDefault(batch + "/" + variant.optimizer().name(), List.of());
                    // a peer that died mid-run leaves some cells short; only full sets of repeats are reported
                    boolean complete = peer.size() == config.repeats();
                    Optional<StepTiming> torchMedian = complete ? Optional.of(Medians.of(peer)) : Optional.empty();
                    OptionalDouble ratio = complete ? OptionalDouble.of(Medians.ofPairedRatios(nd4j(batch, variant), peer)) : OptionalDouble.empty();
                    int t = threads.get(batch);
                    rows.add(new BenchRow(batch, variant, median, t, gflops / peaks.get(t), torchMedian, ratio));
                }
            }
            return rows;
        }
    }
}
