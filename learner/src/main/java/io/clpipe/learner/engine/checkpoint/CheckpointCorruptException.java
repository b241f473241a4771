package io.clpipe.learner.engine.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that is not a valid clpipe checkpoint: truncated, corrupted or of another format. */
public final class CheckpointCorruptException extends IOException {

    private final Path file;

    public CheckpointCorruptException(Path file, String what) {
        super("checkpoint " + file + " refused: " + what);
        this.file = file;
    }

    public CheckpointCorruptException(Path file, String what, Throwable cause) {
        super("checkpoint " + file + " refused: " + what, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
