package io.clpipe.bench.learner;

import java.nio.file.Path;
import java.util.List;

/**
 * Settings of {@code clpipe bench learner}.
 *
 * @param batches         batch sizes, each run for both ND4J and PyTorch
 * @param warmupSteps     untimed steps before each timed run (same for both sides)
 * @param timedSteps      timed steps per run (same for both sides)
 * @param repeats         interleaved repeats; tables show medians
 * @param nd4jBlasThreads OpenBLAS thread counts tried for ND4J; the fastest per batch size is used
 * @param torchCommand    how to start the PyTorch peer in serve mode, or empty to skip it
 * @param torchBlasThreads OPENBLAS_NUM_THREADS for the peer (docs/benchmarks.md, "Threads": 2, with one torch thread)
 * @param seed            seeds both sides' synthetic data and ND4J's initialisation
 */
public record BenchConfig(List<Integer> batches, int warmupSteps, int timedSteps, int repeats,
                          List<Integer> nd4jBlasThreads, List<String> torchCommand, int torchBlasThreads, long seed) {

    /** The batch size whose ND4J/PyTorch ratio the final line reports. */
    public static final int HEADLINE_BATCH = 128;

    public BenchConfig {
        batches = List.copyOf(batches);
        nd4jBlasThreads = List.copyOf(nd4jBlasThreads);
        torchCommand = List.copyOf(torchCommand);
        if (batches.isEmpty() || batches.stream().anyMatch(b -> b <= 0)) {
            throw new IllegalArgumentException("batch sizes must be positive: " + batches);
        }
        if (warmupSteps < 0 || timedSteps <= 0 || repeats <= 0 || torchBlasThreads <= 0) {
            throw new IllegalArgumentException("need warmup >= 0, steps > 0, repeats > 0, torch BLAS threads > 0");
        }
        if (nd4jBlasThreads.isEmpty() || nd4jBlasThreads.stream().anyMatch(t -> t <= 0)) {
            throw new IllegalArgumentException("ND4J BLAS thread choices must be positive: " + nd4jBlasThreads);
        }
    }

    /**
     * The benchmark: batches 32/128/512, 50 warm-up and 200 timed steps, 5 repeats, ND4J
     * trying 1 and 2 BLAS threads, the peer {@code bench/torch_mlp.py} run by Debian's
     * {@code /usr/bin/python3} after {@code scripts/blas-env.sh} (which sets OPENBLAS_CORETYPE and
     * OMP_NUM_THREADS only where unset).
     */
    public static BenchConfig defaults(Path repoRoot) {
        return new BenchConfig(List.of(32, 128, 512), 50, 200, 5, List.of(1, 2), torchCommand(repoRoot, Path.of("/usr/bin/python3")), 2, 1);
    }

    /** {@link #defaults(Path)} for the checkout the launcher runs from ({@code CLPIPE_HOME}, else the working directory). */
    public static BenchConfig defaults() {
        String home = System.getenv("CLPIPE_HOME");
        return defaults(Path.of(home == null || home.isBlank() ? "." : home));
    }

    /** {@code sh -c '. scripts/blas-env.sh && exec python bench/torch_mlp.py --serve'}. */
    public static List<String> torchCommand(Path repoRoot, Path python) {
        return List.of("sh", "-c", ". \"$1\" && exec \"$2\" \"$3\" --serve", "sh",
                repoRoot.resolve("scripts/blas-env.sh").toString(), python.toString(),
                repoRoot.resolve("bench/torch_mlp.py").toString());
    }

    public BenchConfig withTorchCommand(List<String> command) {
        return new BenchConfig(batches, warmupSteps, timedSteps, repeats, nd4jBlasThreads, command, torchBlasThreads, seed);
    }

    public BenchConfig withSteps(int warmup, int timed, int repeats) {
        return new BenchConfig(batches, warmup, timed, repeats, nd4jBlasThreads, torchCommand, torchBlasThreads, seed);
    }

    public BenchConfig withBatches(List<Integer> batches) {
        return new BenchConfig(batches, warmupSteps, timedSteps, repeats, nd4jBlasThreads, torchCommand, torchBlasThreads, seed);
    }
}
