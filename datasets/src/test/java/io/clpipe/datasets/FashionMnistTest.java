package io.clpipe.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @Test
    void readsTheGzippedIdxFilesOfTheDebianPackageLayout(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve(FashionMnist.NAME));
        writeImages(dir.resolve("train-images-idx3-ubyte.gz"), new byte[][] {{0, (byte) 255, 51, 102}, {1, 2, 3, 4}});
        writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), new byte[] {9, 0});
        writeImages(dir.resolve("t10k-images-idx3-ubyte.gz"), new byte[][] {{(byte) 255, 0, 0, 0}});
        writeLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {7});
        Files.createFile(dir.resolve(".verified"));

        FashionMnist fashion = FashionMnist.load(new DataDirectory(root));
        assertThat(fashion.train().count()).isEqualTo(2);
        assertThat(fashion.train().labels()).containsExactly(9, 0);
        assertThat(fashion.train().image(0)).containsExactly(0f, 1f, 0.2f, 0.4f);
        assertThat(fashion.test().labels()).containsExactly(7);
        assertThat(fashion.test().rows()).isEqualTo(2);
    }

    @Test
    void missingCacheSaysHowToFetchIt(@TempDir Path empty) {
        assertThatThrownBy(() -> FashionMnist.load(new DataDirectory(empty)))
                .isInstanceOf(DatasetMissingException.class)
                .hasMessageContaining("scripts/fetch-data.sh fashion-mnist");
    }

    /** Runs where {@code scripts/fetch-data.sh fashion} has filled the cache. */
    @Test
    void readsTheRealDataset() {
        DataDirectory data = DataDirectory.resolve();
        assumeTrue(Files.isRegularFile(data.root().resolve(FashionMnist.NAME).resolve(".verified")),
                "Fashion-MNIST is not in " + data.root() + " (scripts/fetch-data.sh fashion)");
        FashionMnist fashion = FashionMnist.load(data);
        assertThat(fashion.train().count()).isEqualTo(60_000);
        assertThat(fashion.test().count()).isEqualTo(10_000);
        assertThat(fashion.train().dim()).isEqualTo(784);
        // Known facts of Fashion-MNIST: first training and test images are ankle boots (9), classes balanced.
        assertThat(fashion.train().labels()[0]).isEqualTo(9);
        assertThat(fashion.test().labels()[0]).isEqualTo(9);
        int[] counts = new int[10];
        Arrays.stream(fashion.train().labels()).forEach(l -> counts[l]++);
        assertThat(counts).containsOnly(6000);
        float sum = 0;
        for (float p : fashion.train().image(0)) {
            sum += p;
        }
        assertThat(sum * 255).isCloseTo(76247f, within(0.5f));
    }

    private static void writeImages(Path file, byte[][] images) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(0x0803);
            out.writeInt(images.length);
            out.writeInt(2);
            out.writeInt(2);
            for (byte[] image : images) {
                out.write(image);
            }
        }
    }

    private static void writeLabels(Path file, byte[] labels) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(0x0801);
            out.writeInt(labels.length);
            out.write(labels);
        }
    }
}
