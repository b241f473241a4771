package io.clpipe.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {

    @Test
    void readsTheFullDatasetFromTheCache() {
        Mnist mnist = Mnist.load();
        assertThat(mnist.train().count()).isEqualTo(60_000);
        assertThat(mnist.test().count()).isEqualTo(10_000);
        assertThat(mnist.train().dim()).isEqualTo(784);
        // Known facts of MNIST: first training label is 5, first test label is 7.
        assertThat(mnist.train().labels()[0]).isEqualTo(5);
        assertThat(mnist.test().labels()[0]).isEqualTo(7);
        int[] counts = new int[10];
        Arrays.stream(mnist.train().labels()).forEach(l -> counts[l]++);
        assertThat(counts[1]).isEqualTo(6742);
        float max = 0;
        for (float p : mnist.train().image(0)) {
            max = Math.max(max, p);
        }
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void missingCacheGivesAClearError(@TempDir Path empty) {
        assertThatThrownBy(() -> Mnist.load(new DataDirectory(empty)))
                .isInstanceOf(DatasetMissingException.class)
                .hasMessageContaining("scripts/fetch-data.sh mnist");
    }

    @Test
    void truncatedFileIsRefused(@TempDir Path dir) throws IOException {
        Path labels = dir.resolve("l");
        Files.write(labels, new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 1, 2});
        Path images = dir.resolve("i");
        Files.write(images, new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 2});
        assertThatThrownBy(() -> IdxReader.read(images, labels)).hasMessageContaining("truncated");
    }
}
