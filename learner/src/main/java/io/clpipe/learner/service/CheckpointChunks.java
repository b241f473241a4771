package io.clpipe.learner.service;

import io.clpipe.schemas.ChunkedBytes;
import java.util.List;

/**
 * Cuts checkpoint bytes into chunk records small enough for a broker's default 1 MB message limit,
 * and puts them back together, refusing anything that does not match the manifest: a missing chunk,
 * a chunk of the wrong size, a different SHA-256 of the whole ({@link ChunkedBytes} does the work).
 */
final class CheckpointChunks {

    /** Default chunk payload: half the broker's default {@code message.max.bytes} (1 MB), room for key and headers. */
    static final int DEFAULT_CHUNK_BYTES = 512 * 1024;

    private CheckpointChunks() {
    }

    /** Consecutive slices of at most {@code chunkBytes}; none for an empty payload. */
    static List<byte[]> split(byte[] payload, int chunkBytes) {
        return ChunkedBytes.split(payload, chunkBytes);
    }

    /**
     * The whole checkpoint from its chunks, in order; {@code null} entries are chunks not found.
     *
     * @throws CorruptGeneration saying what does not match the manifest
     */
    static byte[] assemble(CheckpointManifest manifest, List<byte[]> chunks) throws CorruptGeneration {
        try {
            return ChunkedBytes.assemble(chunks, manifest.chunks(), manifest.bytes(), manifest.sha256());
        } catch (ChunkedBytes.Mismatch e) {
            throw new CorruptGeneration(manifest, e.getMessage().replace("(truncated)", "(truncated generation)"));
        }
    }

    static String sha256Hex(byte[] bytes) {
        return ChunkedBytes.sha256Hex(bytes);
    }

    /** A generation whose chunks do not match its manifest, or whose bytes are no valid checkpoint. */
    static final class CorruptGeneration extends Exception {

        CorruptGeneration(CheckpointManifest manifest, String what) {
            super("checkpoint of " + manifest.describe() + " refused: " + what);
        }

        CorruptGeneration(CheckpointManifest manifest, String what, Throwable cause) {
            super("checkpoint of " + manifest.describe() + " refused: " + what, cause);
        }
    }
}
