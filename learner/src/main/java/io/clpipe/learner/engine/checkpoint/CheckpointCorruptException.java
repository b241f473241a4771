package io.clpipe.learner.engine.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint that is not a valid clpipe checkpoint: truncated, corrupted or of another format. */
public final class CheckpointCorruptException extends IOException {

    private final String source;

    public CheckpointCorruptException(Path file, String what) {
        this(file.toString(), what);
    }

    /** @param source the file, or whatever names the checkpoint in its store */
    public CheckpointCorruptException(String source, String what) {
        super("checkpoint " + source + " refused: " + what);
        this.source = source;
    }

    public CheckpointCorruptException(String source, String what, Throwable cause) {
        super("checkpoint " + source + " refused: " + what, cause);
        this.source = source;
    }

    /** What names the refused checkpoint: a file path or a store's description of it. */
    public String source() {
        return source;
    }
}
