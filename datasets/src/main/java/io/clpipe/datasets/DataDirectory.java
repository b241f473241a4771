package io.clpipe.datasets;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where fetched datasets live: {@code -Dclpipe.data.dir}, else {@code $CLPIPE_DATA_DIR}, else
 * {@code .cache/data} under the working directory. {@code scripts/fetch-data.sh} fills it.
 */
public record DataDirectory(Path root) {

    public static DataDirectory resolve() {
        String prop = System.getProperty("clpipe.data.dir");
        if (prop != null && !prop.isBlank()) {
            return new DataDirectory(Path.of(prop));
        }
        String env = System.getenv("CLPIPE_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return new DataDirectory(Path.of(env));
        }
        return new DataDirectory(Path.of(".cache", "data"));
    }

    /** The verified folder of one dataset, or a clear error telling how to fetch it. */
    public Path dataset(String name) {
        Path dir = root.resolve(name);
        if (!Files.isRegularFile(dir.resolve(".verified"))) {
            throw new DatasetMissingException("dataset '" + name + "' is not in " + root.toAbsolutePath()
                    + "; fetch it with: scripts/fetch-data.sh " + name
                    + " (or point -Dclpipe.data.dir / CLPIPE_DATA_DIR at a cache that has it)");
        }
        return dir;
    }
}
