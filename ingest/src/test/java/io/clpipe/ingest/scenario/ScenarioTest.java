package io.clpipe.ingest.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.datasets.LabeledImages;
import io.clpipe.ingest.source.SampleSource;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    // 6 training and 4 test images per class; Fashion gets other pixel values
    private final ImageData digits = SyntheticImages.data(6, 4, 1);
    private final ImageData clothes = SyntheticImages.data(6, 4, 50);
    private final Scenarios scenarios = new Scenarios(() -> digits, () -> clothes);
    private final ScenarioConfig config = ScenarioConfig.defaults().withStream("s").withSeed(7);

    private static List<Sample> all(SampleSource source) {
        List<Sample> out = new ArrayList<>();
        source.forEachRemaining(out::add);
        return out;
    }

    private static List<Sample> all(Scenario scenario) {
        try (SampleSource source = scenario.samples()) {
            List<Sample> samples = all(source);
            assertThat(source.size()).hasValue(samples.size());
            return samples;
        }
    }

    /** Consecutive runs of (task, split) in the sequence, e.g. ["0-1/EVAL", "0-1/TRAIN", "2-3/EVAL", …]. */
    private static List<String> blocks(List<Sample> samples) {
        List<String> out = new ArrayList<>();
        for (Sample s : samples) {
            String block = s.getTask() + "/" + s.getSplit();
            if (out.isEmpty() || !out.get(out.size() - 1).equals(block)) {
                out.add(block);
            }
        }
        return out;
    }

    private static Map<String, Long> count(List<Sample> samples, Split split) {
        return samples.stream().filter(s -> s.getSplit() == split)
                .collect(Collectors.groupingBy(Sample::getTask, LinkedHashMap::new, Collectors.counting()));
    }

    /** The dataset index a sample id ends with. */
    private static int datasetIndex(Sample s) {
        String id = s.getSampleId();
        return Integer.parseInt(id.substring(id.lastIndexOf(':') + 1));
    }

    /** The untransformed image a sample was made from: from the test set for EVAL, else the training set. */
    private static float[] original(Sample s, ImageData data) {
        return (s.getSplit() == Split.EVAL ? data.test() : data.train()).image(datasetIndex(s));
    }

    @Test
    void splitMnistIsFiveClassPairsEachEvalThenTrainWithGlobalLabels() {
        Scenario scenario = scenarios.create("split-mnist", config.withEpochs(2));
        List<Sample> samples = all(scenario);

        List<String> names = List.of("0-1", "2-3", "4-5", "6-7", "8-9");
        assertThat(scenario.plan().taskNames()).isEqualTo(names);
        assertThat(blocks(samples)).containsExactly(
                "0-1/EVAL", "0-1/TRAIN", "2-3/EVAL", "2-3/TRAIN", "4-5/EVAL", "4-5/TRAIN",
                "6-7/EVAL", "6-7/TRAIN", "8-9/EVAL", "8-9/TRAIN");
        for (Sample s : samples) {
            int first = names.indexOf(s.getTask()) * 2;
            assertThat(s.getLabel()).isIn(first, first + 1);
            assertThat(s.getStream()).isEqualTo("s");
            assertThat(s.getFeatures()).hasSize(SyntheticImages.SIDE * SyntheticImages.SIDE);
        }
        // 2 classes × 6 training images × 2 epochs, 2 classes × 4 test images
        assertThat(count(samples, Split.TRAIN)).containsOnlyKeys(names).allSatisfy((task, n) -> assertThat(n).isEqualTo(24));
        assertThat(count(samples, Split.EVAL)).allSatisfy((task, n) -> assertThat(n).isEqualTo(8));
        ScenarioPlan plan = scenario.plan();
        assertThat(plan.tasks()).allSatisfy(t -> {
            assertThat(t.trainImages()).isEqualTo(12);
            assertThat(t.trainSamples()).isEqualTo(24);
            assertThat(t.evalSamples()).isEqualTo(8);
        });
        assertThat(plan.totalTrainSamples()).isEqualTo(120);
        assertThat(plan.totalEvalSamples()).isEqualTo(40);
        assertThat(plan.totalSamples()).isEqualTo(samples.size());
        assertThat(plan.numClasses()).isEqualTo(10);
        assertThat(plan.featureDim()).isEqualTo(64);
        assertThat(plan.stream()).isEqualTo("s");
    }

    @Test
    void featuresAreTheDatasetImagesUntransformedInSplitMnist() {
        for (Sample s : all(scenarios.create("split-mnist", config))) {
            LabeledImages images = s.getSplit() == Split.EVAL ? digits.test() : digits.train();
            assertThat(Features.toArray(s.getFeatures())).containsExactly(original(s, digits));
            assertThat(s.getLabel()).isEqualTo(images.labels()[datasetIndex(s)]);
        }
    }

    @Test
    void everyEpochIsAFreshlyShuffledPassOverTheSameImages() {
        List<Sample> train = all(scenarios.create("split-mnist", config.withEpochs(3).withTasks(1))).stream()
                .filter(s -> s.getSplit() == Split.TRAIN).toList();
        assertThat(train).hasSize(36);
        List<List<String>> epochs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            List<String> images = train.subList(12 * e, 12 * e + 12).stream()
                    .map(s -> s.getSampleId().toString()).toList();
            int epoch = e;
            assertThat(images).allSatisfy(id -> assertThat(id).startsWith("split-mnist:0-1:train:" + epoch + ":"));
            epochs.add(images.stream().map(id -> id.substring(id.lastIndexOf(':') + 1)).toList());
        }
        assertThat(new HashSet<>(epochs.get(0))).hasSize(12)
                .isEqualTo(new HashSet<>(epochs.get(1))).isEqualTo(new HashSet<>(epochs.get(2)));
        // 12! orders: equal orders would mean the shuffle ignores the epoch
        assertThat(epochs.get(0)).isNotEqualTo(epochs.get(1));
        assertThat(epochs.get(1)).isNotEqualTo(epochs.get(2));
    }

    @Test
    void sampleIdsAreUniqueWithinARun() {
        for (String name : Scenarios.NAMES) {
            List<Sample> samples = all(scenarios.create(name, config.withEpochs(2)));
            Set<String> ids = samples.stream().map(s -> s.getSampleId().toString()).collect(Collectors.toSet());
            assertThat(ids).as(name).hasSize(samples.size());
        }
    }

    @Test
    void sameSeedGivesTheSameSequenceAndAnotherSeedAnotherOrder() {
        for (String name : Scenarios.NAMES) {
            List<Sample> a = all(scenarios.create(name, config.withEpochs(2)));
            List<Sample> b = all(new Scenarios(() -> digits, () -> clothes).create(name, config.withEpochs(2)));
            assertThat(b).as(name).isEqualTo(a); // Avro records compare by every field, features included
            List<Sample> other = all(scenarios.create(name, config.withEpochs(2).withSeed(8)));
            assertThat(other.stream().map(Sample::getSampleId).toList()).as(name)
                    .isNotEqualTo(a.stream().map(Sample::getSampleId).toList());
        }
        Scenario scenario = scenarios.create("permuted-mnist", config);
        assertThat(all(scenario)).isEqualTo(all(scenario)); // samples() restarts from the beginning
    }

    @Test
    void evalSamplesAreASeededSubsetCappedPerTaskAndTrainingCanBeCapped() {
        Scenario scenario = scenarios.create("split-mnist", config.withEvalPerTask(3).withTrainPerTask(5));
        List<Sample> samples = all(scenario);
        assertThat(count(samples, Split.EVAL)).allSatisfy((task, n) -> assertThat(n).isEqualTo(3));
        assertThat(count(samples, Split.TRAIN)).allSatisfy((task, n) -> assertThat(n).isEqualTo(5));
        assertThat(scenario.plan().tasks()).allSatisfy(t -> {
            assertThat(t.evalSamples()).isEqualTo(3);
            assertThat(t.trainImages()).isEqualTo(5);
        });
        List<Sample> noEval = all(scenarios.create("split-mnist", config.withEvalPerTask(0)));
        assertThat(count(noEval, Split.EVAL)).isEmpty();
        assertThat(blocks(noEval)).containsExactly("0-1/TRAIN", "2-3/TRAIN", "4-5/TRAIN", "6-7/TRAIN", "8-9/TRAIN");
    }

    @Test
    void permutedMnistPermutesEveryImageOfATaskTheSameWayAndTaskZeroIsTheIdentity() {
        Scenario scenario = scenarios.create("permuted-mnist", config.withTasks(3));
        assertThat(scenario.plan().taskNames()).containsExactly("perm-0", "perm-1", "perm-2");
        List<Sample> samples = all(scenario);
        assertThat(blocks(samples)).containsExactly("perm-0/EVAL", "perm-0/TRAIN", "perm-1/EVAL", "perm-1/TRAIN",
                "perm-2/EVAL", "perm-2/TRAIN");
        // all 10 classes in every task, every training image once
        assertThat(count(samples, Split.TRAIN)).allSatisfy((task, n) -> assertThat(n).isEqualTo(60));
        assertThat(samples.stream().filter(s -> s.getTask().equals("perm-2")).map(Sample::getLabel).distinct())
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        Map<String, int[]> permutationOf = new HashMap<>();
        for (Sample s : samples) {
            float[] original = original(s, digits);
            float[] seen = Features.toArray(s.getFeatures());
            if (s.getTask().equals("perm-0")) {
                assertThat(seen).containsExactly(original);
                continue;
            }
            float[] sortedSeen = seen.clone();
            float[] sortedOriginal = original.clone();
            Arrays.sort(sortedSeen);
            Arrays.sort(sortedOriginal);
            assertThat(sortedSeen).containsExactly(sortedOriginal);
            // the task's permutation, recovered from its first image (pixel values are distinct), fits all others
            int[] permutation = permutationOf.computeIfAbsent(s.getTask(), t -> recover(original, seen));
            float[] expected = new float[original.length];
            for (int p = 0; p < expected.length; p++) {
                expected[p] = original[permutation[p]];
            }
            assertThat(seen).containsExactly(expected);
        }
        assertThat(permutationOf.get("perm-1")).isNotEqualTo(permutationOf.get("perm-2"));
    }

    private static int[] recover(float[] original, float[] permuted) {
        Map<Float, Integer> where = new HashMap<>();
        for (int i = 0; i < original.length; i++) {
            assertThat(where.put(original[i], i)).as("synthetic pixels must be distinct").isNull();
        }
        return Arrays.stream(toObjects(permuted)).mapToInt(where::get).toArray();
    }

    private static Float[] toObjects(float[] values) {
        Float[] out = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    @Test
    void rotatedMnistTurnsThirtyDegreesMorePerTask() {
        Scenario scenario = scenarios.create("rotated-mnist", config);
        assertThat(scenario.plan().taskNames()).containsExactly("rot-0", "rot-30", "rot-60", "rot-90", "rot-120");
        List<Sample> samples = all(scenario);
        Rotation ninety = new Rotation(90, SyntheticImages.SIDE, SyntheticImages.SIDE);
        for (Sample s : samples) {
            float[] original = original(s, digits);
            float[] seen = Features.toArray(s.getFeatures());
            if (s.getTask().equals("rot-0")) {
                assertThat(seen).containsExactly(original);
            } else if (s.getTask().equals("rot-90")) {
                assertThat(seen).containsExactly(ninety.apply(original));
            } else {
                assertThat(seen).isNotEqualTo(original);
            }
        }
        assertThat(count(samples, Split.EVAL)).hasSize(5).allSatisfy((task, n) -> assertThat(n).isEqualTo(40));
    }

    @Test
    void mnistFashionLearnsDigitsThenClothesWithLabelsZeroToNine() {
        Scenario scenario = scenarios.create("mnist-fashion", config);
        assertThat(scenario.plan().taskNames()).containsExactly("mnist", "fashion");
        List<Sample> samples = all(scenario);
        assertThat(blocks(samples)).containsExactly("mnist/EVAL", "mnist/TRAIN", "fashion/EVAL", "fashion/TRAIN");
        for (Sample s : samples) {
            ImageData source = s.getTask().equals("mnist") ? digits : clothes;
            assertThat(Features.toArray(s.getFeatures())).containsExactly(original(s, source));
        }
        assertThat(samples.stream().filter(s -> s.getTask().equals("fashion")).map(Sample::getLabel).distinct())
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(scenarios.create("mnist-fashion", config.withTasks(1)).plan().taskNames()).containsExactly("mnist");
    }

    @Test
    void fashionIsOnlyLoadedWhenTheScenarioNeedsIt() {
        Scenarios noFashion = new Scenarios(() -> digits, () -> {
            throw new AssertionError("Fashion-MNIST loaded for an MNIST-only scenario");
        });
        assertThat(noFashion.create("split-mnist", config).plan().tasks()).hasSize(5);
        assertThat(noFashion.create("mnist-fashion", config.withTasks(1)).plan().tasks()).hasSize(1);
    }

    @Test
    void refusesUnknownScenariosAndTooManyTasks() {
        assertThatThrownBy(() -> scenarios.create("split-cifar", config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown scenario 'split-cifar'").hasMessageContaining("split-mnist, permuted-mnist");
        assertThatThrownBy(() -> scenarios.create("split-mnist", config.withTasks(6)))
                .hasMessageContaining("split-mnist has at most 5 tasks");
        assertThatThrownBy(() -> scenarios.create("mnist-fashion", config.withTasks(3)))
                .hasMessageContaining("at most 2 tasks");
        assertThatThrownBy(() -> config.withEpochs(0)).hasMessageContaining("epochs");
        assertThat(scenarios.create("split-mnist", config.withTasks(2)).plan().taskNames()).containsExactly("0-1", "2-3");
    }
}
