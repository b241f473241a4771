package io.clpipe.bench.evaluator;

import java.util.Arrays;
import java.util.List;

/**
 * Settings of {@code clpipe bench evaluator}.
 *
 * @param hidden             hidden widths of the MLP 784-…-10 whose snapshots are evaluated
 * @param tasks              tasks scored per evaluation (Split-MNIST pairs: at most 5 with real data)
 * @param samplesPerTask     eval samples per task (the evaluator's default subset is 1000)
 * @param chunkSizes         the model's maxBatch (rows per forward chunk) values compared
 * @param blasThreads        OpenBLAS thread counts compared
 * @param warmupEvaluations  untimed evaluations before each timed run
 * @param timedEvaluations   timed evaluations per run
 * @param repeats            interleaved repeats; the table shows medians and min–max
 * @param engineEvaluations  evaluations of the synthetic trace fed to the metrics engine alone, per repeat
 * @param learnerBatch       batch size of the learner step the evaluator's ceiling is compared with
 * @param learnerSteps       timed learner steps per run (as many untimed before)
 * @param sgemmPeakSize      n of the n×n×n sgemm whose GFLOP/s is the peak the forward pass is compared with
 * @param data               real MNIST when cached, or synthetic data
 * @param seed               seeds the weights, the synthetic data and the eval-set reservoirs
 */
public record EvaluatorBenchConfig(int[] hidden, int tasks, int samplesPerTask, List<Integer> chunkSizes,
                                   List<Integer> blasThreads, int warmupEvaluations, int timedEvaluations, int repeats,
                                   int engineEvaluations, int learnerBatch, int learnerSteps, int sgemmPeakSize, DataChoice data,
                                   long seed) {

    /** Where the eval samples come from. */
    public enum DataChoice {
        /** MNIST's test split as Split-MNIST pairs if the dataset cache has it, else synthetic (said in the output). */
        MNIST_IF_CACHED,
        /** Uniform [0, 1) pixels with labels from each task's pair of classes. */
        SYNTHETIC
    }

    public EvaluatorBenchConfig {
        hidden = hidden.clone();
        chunkSizes = List.copyOf(chunkSizes);
        blasThreads = List.copyOf(blasThreads);
        if (hidden.length == 0 || Arrays.stream(hidden).anyMatch(h -> h <= 0)) {
            throw new IllegalArgumentException("hidden widths must be positive: " + Arrays.toString(hidden));
        }
        if (tasks < 1 || tasks > EvalTasks.MAX_TASKS || samplesPerTask < 1) {
            throw new IllegalArgumentException("need 1.." + EvalTasks.MAX_TASKS + " tasks and at least one sample per task");
        }
        if (chunkSizes.isEmpty() || chunkSizes.stream().anyMatch(c -> c <= 0)
                || blasThreads.isEmpty() || blasThreads.stream().anyMatch(t -> t <= 0)) {
            throw new IllegalArgumentException("chunk sizes and BLAS threads must be positive: " + chunkSizes + ", " + blasThreads);
        }
        if (warmupEvaluations < 0 || timedEvaluations <= 0 || repeats <= 0 || engineEvaluations <= 0
                || learnerBatch <= 0 || learnerSteps <= 0 || sgemmPeakSize <= 0) {
            throw new IllegalArgumentException("need warm-up >= 0 and positive timed evaluations, repeats, engine"
                    + " evaluations, learner batch, learner steps and sgemm size");
        }
        if (data == null) {
            throw new IllegalArgumentException("data choice is required");
        }
    }

    /**
     * The benchmark: MLP 784-400-400-10, 5 tasks × 1000 samples, chunks 128 (the learner's
     * batch: the evaluator service builds its model from the snapshot's spec, so it evaluates in
     * chunks of the learner's maxBatch) and 250/500/1000, on 1 and 2 OpenBLAS threads, 3 warm-up + 10 timed evaluations per run, 5 repeats; the engine alone on
     * 100 000 evaluations; the learner's fused SGD step at batch 128 (100 steps per run); sgemm peak at
     * 1024³.
     */
    public static EvaluatorBenchConfig defaults() {
        return new EvaluatorBenchConfig(new int[] {400, 400}, 5, 1000, List.of(128, 250, 500, 1000), List.of(1, 2),
                3, 10, 5, 100_000, 128, 100, 1024, DataChoice.MNIST_IF_CACHED, 1);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** "784-400-400-10". */
    public String architecture() {
        StringBuilder s = new StringBuilder().append(EvalTasks.INPUT_DIM);
        for (int h : hidden) {
            s.append('-').append(h);
        }
        return s.append('-').append(EvalTasks.CLASSES).toString();
    }

    public EvaluatorBenchConfig withData(DataChoice choice) {
        return new EvaluatorBenchConfig(hidden, tasks, samplesPerTask, chunkSizes, blasThreads, warmupEvaluations,
                timedEvaluations, repeats, engineEvaluations, learnerBatch, learnerSteps, sgemmPeakSize, choice, seed);
    }
}
