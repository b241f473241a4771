package io.clpipe.ingest.scenario;

import io.clpipe.datasets.DataDirectory;
import io.clpipe.datasets.FashionMnist;
import io.clpipe.datasets.LabeledImages;
import io.clpipe.datasets.Mnist;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Builds the benchmark scenarios by name:
 * <ul>
 *   <li>{@code split-mnist}: tasks "0-1", "2-3", … "8-9" (the first {@code tasks} pairs, 5 by default),
 *       class-incremental with one head: labels stay 0..9;</li>
 *   <li>{@code permuted-mnist}: tasks "perm-0" … (5 by default), each a fixed seeded pixel
 *       permutation, task 0 the identity;</li>
 *   <li>{@code rotated-mnist}: tasks "rot-0", "rot-30", "rot-60", … (5 by default), the images turned by
 *       30° more per task;</li>
 *   <li>{@code mnist-fashion}: task "mnist", then task "fashion" (Fashion-MNIST), labels 0..9 in both.</li>
 * </ul>
 * Datasets are loaded when a scenario needs them, once per {@link #create} call.
 */
public final class Scenarios {

    public static final String SPLIT_MNIST = "split-mnist";
    public static final String PERMUTED_MNIST = "permuted-mnist";
    public static final String ROTATED_MNIST = "rotated-mnist";
    public static final String MNIST_FASHION = "mnist-fashion";
    public static final List<String> NAMES = List.of(SPLIT_MNIST, PERMUTED_MNIST, ROTATED_MNIST, MNIST_FASHION);

    static final int DEFAULT_TASKS = 5;
    static final double ROTATION_STEP_DEGREES = 30;
    private static final int NUM_CLASSES = 10;
    private static final IntPredicate ALL_CLASSES = label -> true;

    private final Supplier<ImageData> mnist;
    private final Supplier<ImageData> fashion;

    public Scenarios(Supplier<ImageData> mnist, Supplier<ImageData> fashion) {
        this.mnist = mnist;
        this.fashion = fashion;
    }

    /** Scenarios over the verified dataset cache ({@code scripts/fetch-data.sh mnist fashion}). */
    public static Scenarios fromCache(DataDirectory data) {
        return new Scenarios(
                () -> {
                    Mnist m = Mnist.load(data);
                    return new ImageData(m.train(), m.test());
                },
                () -> {
                    FashionMnist f = FashionMnist.load(data);
                    return new ImageData(f.train(), f.test());
                });
    }

    public static Scenarios fromCache() {
        return fromCache(DataDirectory.resolve());
    }

    public Scenario create(String name, ScenarioConfig config) {
        return switch (name) {
            case SPLIT_MNIST -> splitMnist(config);
            case PERMUTED_MNIST -> permutedMnist(config);
            case ROTATED_MNIST -> rotatedMnist(config);
            case MNIST_FASHION -> mnistFashion(config);
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }

    private Scenario splitMnist(ScenarioConfig config) {
        return mnistTasks(SPLIT_MNIST, config, NUM_CLASSES / 2, (data, t) ->
                new TaskSpec(2 * t + "-" + (2 * t + 1), label -> label / 2 == t, ImageTransform.IDENTITY));
    }

    private Scenario permutedMnist(ScenarioConfig config) {
        return mnistTasks(PERMUTED_MNIST, config, Integer.MAX_VALUE, (data, t) ->
                new TaskSpec("perm-" + t, ALL_CLASSES, t == 0
                        ? PixelPermutation.identity(dim(data))
                        : PixelPermutation.random(dim(data), Seeds.random(config.seed(), "permutation", t))));
    }

    private Scenario rotatedMnist(ScenarioConfig config) {
        return mnistTasks(ROTATED_MNIST, config, Integer.MAX_VALUE, (data, t) -> {
            double degrees = t * ROTATION_STEP_DEGREES;
            return new TaskSpec("rot-" + Math.round(degrees), ALL_CLASSES,
                    new Rotation(degrees, data.train().rows(), data.train().cols()));
        });
    }

    /** What distinguishes task t of an MNIST-only scenario. */
    private record TaskSpec(String name, IntPredicate classes, ImageTransform transform) {
    }

    private Scenario mnistTasks(String scenario, ScenarioConfig config, int maxTasks, BiFunction<ImageData, Integer, TaskSpec> spec) {
        int count = taskCount(scenario, config, DEFAULT_TASKS, maxTasks);
        ImageData data = mnist.get();
        List<ScenarioTask> tasks = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            TaskSpec s = spec.apply(data, t);
            tasks.add(task(s.name(), t, data, s.classes(), s.transform(), config));
        }
        return new Scenario(scenario, config, tasks, dim(data), NUM_CLASSES);
    }

    private Scenario mnistFashion(ScenarioConfig config) {
        int count = taskCount(MNIST_FASHION, config, 2, 2);
        ImageData digits = mnist.get();
        List<ScenarioTask> tasks = new ArrayList<>();
        tasks.add(task("mnist", 0, digits, ALL_CLASSES, ImageTransform.IDENTITY, config));
        if (count == 2) {
            ImageData clothes = fashion.get();
            if (dim(clothes) != dim(digits)) {
                throw new IllegalArgumentException("Fashion-MNIST images have " + dim(clothes) + " pixels, MNIST " + dim(digits));
            }
            tasks.add(task("fashion", 1, clothes, ALL_CLASSES, ImageTransform.IDENTITY, config));
        }
        return new Scenario(MNIST_FASHION, config, tasks, dim(digits), NUM_CLASSES);
    }

    private static int taskCount(String scenario, ScenarioConfig config, int defaultCount, int max) {
        int count = config.tasks() == 0 ? defaultCount : config.tasks();
        if (count > max) {
            throw new IllegalArgumentException(scenario + " has at most " + max + " tasks, asked for " + count);
        }
        return count;
    }

    private static int dim(ImageData data) {
        return data.train().dim();
    }

    private static ScenarioTask task(String name, int index, ImageData data, IntPredicate classes,
                                     ImageTransform transform, ScenarioConfig config) {
        int trainLimit = config.trainPerTask() == 0 ? Integer.MAX_VALUE : config.trainPerTask();
        int[] train = subset(matching(data.train(), classes), trainLimit, config.seed(), "train-subset", index);
        int[] eval = subset(matching(data.test(), classes), config.evalPerTask(), config.seed(), "eval-subset", index);
        if (train.length == 0 || eval.length == 0 && config.evalPerTask() > 0) {
            throw new IllegalArgumentException("task " + name + " has " + train.length + " training and "
                    + eval.length + " test images");
        }
        return new ScenarioTask(name, data.train(), train, data.test(), eval, transform);
    }

    private static int[] matching(LabeledImages images, IntPredicate classes) {
        int[] labels = images.labels();
        return IntStream.range(0, labels.length).filter(i -> classes.test(labels[i])).toArray();
    }

    /** A seeded uniform subset of at most {@code limit} indices, kept in dataset order. */
    private static int[] subset(int[] indices, int limit, long seed, String purpose, int task) {
        if (indices.length <= limit) {
            return indices;
        }
        int[] shuffled = indices.clone();
        Seeds.shuffle(shuffled, Seeds.random(seed, purpose, task));
        int[] chosen = Arrays.copyOf(shuffled, limit);
        Arrays.sort(chosen);
        return chosen;
    }
}
