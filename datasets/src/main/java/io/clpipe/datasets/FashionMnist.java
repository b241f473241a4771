package io.clpipe.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Fashion-MNIST (60k train / 10k test, 28×28, 10 clothing classes) from Debian's
 * dataset-fashion-mnist package, via {@link DataDirectory} ({@code scripts/fetch-data.sh fashion}).
 */
public record FashionMnist(LabeledImages train, LabeledImages test) {

    public static final String NAME = "fashion-mnist";

    public static FashionMnist load() {
        return load(DataDirectory.resolve());
    }

    public static FashionMnist load(DataDirectory data) {
        Path dir = data.dataset(NAME);
        try {
            return new FashionMnist(
                    IdxReader.read(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz")),
                    IdxReader.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz")));
        } catch (IOException e) {
            throw new UncheckedIOException("reading Fashion-MNIST from " + dir, e);
        }
    }
}
