package io.clpipe.bench.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clpipe.datasets.DataDirectory;
import io.clpipe.datasets.DatasetMissingException;
import io.clpipe.datasets.LabeledImages;
import io.clpipe.datasets.Mnist;
import io.clpipe.models.Batch;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvalTasksTest {

    /** 10 classes × {@code perClass} 28×28 images; every pixel of image i is i / 1000. */
    private static LabeledImages images(int perClass) {
        int count = 10 * perClass;
        float[] pixels = new float[count * 784];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
            java.util.Arrays.fill(pixels, i * 784, (i + 1) * 784, i / 1000f);
        }
        return new LabeledImages(pixels, labels, 28, 28);
    }

    @Test
    void splitsIntoClassPairsThroughTheEvaluatorsReservoir() {
        EvalTasks tasks = EvalTasks.fromMnist(images(30), 5, 40, 3);

        assertThat(tasks.names()).containsExactly("mnist-01", "mnist-23", "mnist-45", "mnist-67", "mnist-89");
        assertThat(tasks.samples()).isEqualTo(200);
        for (int t = 0; t < 5; t++) {
            Batch batch = tasks.batches().get(t);
            assertThat(batch.size()).isEqualTo(40);
            Set<Integer> images = new HashSet<>();
            for (int r = 0; r < batch.size(); r++) {
                int label = batch.labels()[r];
                assertThat(label).isIn(2 * t, 2 * t + 1);
                int image = Math.round(batch.features()[r * 784] * 1000);
                assertThat(image % 10).as("the row's pixels are the image of its label").isEqualTo(label);
                images.add(image);
            }
            assertThat(images).as("no image twice").hasSize(40);
        }
        assertThat(tasks.source()).startsWith("real MNIST").doesNotContain("smallest");
    }

    @Test
    void saysSoWhenATaskHasFewerSamplesThanAsked() {
        EvalTasks tasks = EvalTasks.fromMnist(images(10), 2, 50, 3);
        assertThat(tasks.batches()).allSatisfy(b -> assertThat(b.size()).isEqualTo(20));
        assertThat(tasks.source()).contains("smallest task has 20");
    }

    @Test
    void realMnistGivesFiveTasksOfAThousandWhenCached() {
        Mnist mnist;
        try {
            mnist = Mnist.load(DataDirectory.resolve());
        } catch (DatasetMissingException e) {
            assumeTrue(false, e.getMessage());
            return;
        }
        EvalTasks tasks = EvalTasks.load(5, 1000, 1, () -> mnist);
        assertThat(tasks.source()).startsWith("real MNIST");
        assertThat(tasks.batches()).allSatisfy(b -> assertThat(b.size()).isEqualTo(1000));
        assertThat(tasks.batches().get(4).labels()).containsOnly(8, 9);
    }
}
