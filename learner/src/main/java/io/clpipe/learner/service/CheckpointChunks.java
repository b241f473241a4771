package io.clpipe.learner.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Cuts checkpoint bytes into chunk records small enough for a broker's default 1 MB message limit,
 * and puts them back together, refusing anything that does not match the manifest: a missing chunk,
 * a chunk of the wrong size, a different SHA-256 of the whole.
 */
final class CheckpointChunks {

    /** Default chunk payload: half the broker's default {@code message.max.bytes} (1 MB), room for key and headers. */
    static final int DEFAULT_CHUNK_BYTES = 512 * 1024;

    private CheckpointChunks() {
    }

    /** Consecutive slices of at most {@code chunkBytes}; none for an empty payload. */
    static List<byte[]> split(byte[] payload, int chunkBytes) {
        if (chunkBytes <= 0) {
            throw new IllegalArgumentException("chunk size must be positive, got " + chunkBytes);
        }
        List<byte[]> out = new ArrayList<>();
        for (int from = 0; from < payload.length; from += chunkBytes) {
            out.add(Arrays.copyOfRange(payload, from, Math.min(payload.length, from + chunkBytes)));
        }
        return out;
    }

    /**
     * The whole checkpoint from its chunks, in order; {@code null} entries are chunks not found.
     *
     * @throws CorruptGeneration saying what does not match the manifest
     */
    static byte[] assemble(CheckpointManifest manifest, List<byte[]> chunks) throws CorruptGeneration {
        if (chunks.size() != manifest.chunks()) {
            throw new CorruptGeneration(manifest, chunks.size() + " chunks given, the manifest lists " + manifest.chunks());
        }
        long total = 0;
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i) == null) {
                throw new CorruptGeneration(manifest, "chunk " + i + " of " + manifest.chunks() + " is missing (truncated generation)");
            }
            total += chunks.get(i).length;
        }
        if (total != manifest.bytes()) {
            throw new CorruptGeneration(manifest, "chunks hold " + total + " bytes, the manifest says " + manifest.bytes()
                    + " (truncated generation)");
        }
        byte[] whole = new byte[(int) total];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, whole, at, c.length);
            at += c.length;
        }
        String sha = sha256Hex(whole);
        if (!sha.equals(manifest.sha256())) {
            throw new CorruptGeneration(manifest, "SHA-256 of the chunks is " + sha.substring(0, 16) + "…, the manifest says "
                    + manifest.sha256().substring(0, 16) + "… (corrupted chunk)");
        }
        return whole;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
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
