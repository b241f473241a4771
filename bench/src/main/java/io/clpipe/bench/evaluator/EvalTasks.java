package io.clpipe.bench.evaluator;

import io.clpipe.datasets.DatasetMissingException;
import io.clpipe.datasets.LabeledImages;
import io.clpipe.datasets.Mnist;
import io.clpipe.evaluator.engine.EvalSample;
import io.clpipe.evaluator.engine.EvalSet;
import io.clpipe.evaluator.engine.EvalSetConfig;
import io.clpipe.evaluator.engine.EvalSets;
import io.clpipe.evaluator.engine.SubsetMode;
import io.clpipe.models.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The eval subsets one evaluation scores: Split-MNIST tasks (task t holds classes 2t and 2t+1),
 * each a batch of at most {@code samplesPerTask} samples.
 *
 * @param names   task names in learning order ("mnist-01", "mnist-23", …)
 * @param batches each task's fixed eval subset
 * @param source  where the samples came from, for the report
 */
public record EvalTasks(List<String> names, List<Batch> batches, String source) {

    public static final int INPUT_DIM = 28 * 28;
    public static final int CLASSES = 10;
    public static final int MAX_TASKS = CLASSES / 2;
    private static final String STREAM = "bench";

    public EvalTasks {
        names = List.copyOf(names);
        batches = List.copyOf(batches);
        if (names.size() != batches.size() || names.isEmpty()) {
            throw new IllegalArgumentException("need one batch per task, got " + names.size() + " names, " + batches.size() + " batches");
        }
    }

    /** MNIST if {@code mnist} supplies it, else synthetic with the reason in {@link #source()}. */
    public static EvalTasks load(int tasks, int samplesPerTask, long seed, Supplier<Mnist> mnist) {
        try {
            return fromMnist(mnist.get().test(), tasks, samplesPerTask, seed);
        } catch (DatasetMissingException e) {
            EvalTasks synthetic = synthetic(tasks, samplesPerTask, seed);
            return new EvalTasks(synthetic.names, synthetic.batches, synthetic.source + " — MNIST not cached (" + e.getMessage() + ")");
        }
    }

    /**
     * Offers every image of {@code split} to its pair's eval set (the evaluator's reservoir, fixed
     * subset of {@code samplesPerTask}) and takes each set's subset batch.
     */
    public static EvalTasks fromMnist(LabeledImages split, int tasks, int samplesPerTask, long seed) {
        checkTasks(tasks);
        if (split.dim() != INPUT_DIM) {
            throw new IllegalArgumentException("expected 28x28 images, got " + split.rows() + "x" + split.cols());
        }
        EvalSets sets = new EvalSets(new EvalSetConfig(samplesPerTask, samplesPerTask, SubsetMode.FIXED, seed));
        for (int i = 0; i < split.count(); i++) {
            int task = split.labels()[i] / 2;
            if (task < tasks) {
                sets.offer(STREAM, name(task), new EvalSample(split.image(i), split.labels()[i]));
            }
        }
        List<String> names = new ArrayList<>();
        List<Batch> batches = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            String name = name(t);
            EvalSet set = sets.get(STREAM, name).orElseThrow(() -> new IllegalArgumentException("no sample of task " + name));
            names.add(name);
            batches.add(set.subsetBatch());
        }
        int smallest = batches.stream().mapToInt(Batch::size).min().orElseThrow();
        return new EvalTasks(names, batches, String.format("real MNIST test split as Split-MNIST pairs (reservoir of %d per task%s)",
                samplesPerTask, smallest < samplesPerTask ? ", smallest task has " + smallest : ""));
    }

    /** Uniform [0, 1) pixels, labels drawn from each task's pair of classes. */
    public static EvalTasks synthetic(int tasks, int samplesPerTask, long seed) {
        checkTasks(tasks);
        Random random = new Random(seed);
        List<String> names = new ArrayList<>();
        List<Batch> batches = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            float[] features = new float[samplesPerTask * INPUT_DIM];
            for (int i = 0; i < features.length; i++) {
                features[i] = random.nextFloat();
            }
            int[] labels = new int[samplesPerTask];
            for (int i = 0; i < samplesPerTask; i++) {
                labels[i] = 2 * t + random.nextInt(2);
            }
            names.add(name(t));
            batches.add(Batch.of(features, labels));
        }
        return new EvalTasks(names, batches, "synthetic data (uniform [0,1) pixels, Split-MNIST pair labels)");
    }

    /** Samples scored by one evaluation. */
    public long samples() {
        return batches.stream().mapToLong(Batch::size).sum();
    }

    static String name(int task) {
        return "mnist-" + 2 * task + (2 * task + 1);
    }

    private static void checkTasks(int tasks) {
        if (tasks < 1 || tasks > MAX_TASKS) {
            throw new IllegalArgumentException("Split-MNIST has 1.." + MAX_TASKS + " tasks, got " + tasks);
        }
    }
}
