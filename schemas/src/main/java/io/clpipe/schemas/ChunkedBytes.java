package io.clpipe.schemas;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A payload cut into slices small enough for one Kafka record each, and put back together against
 * what its manifest promised (slice count, total size, SHA-256). Used by the learner's checkpoint
 * store and by chunked model snapshots ({@link SnapshotChunks}).
 */
public final class ChunkedBytes {

    private ChunkedBytes() {
    }

    /** Consecutive slices of at most {@code chunkBytes}; none for an empty payload. */
    public static List<byte[]> split(byte[] payload, int chunkBytes) {
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
     * The whole payload from its slices, in order; {@code null} entries are slices not found.
     *
     * @throws Mismatch saying what does not match the expected count, size or SHA-256
     */
    public static byte[] assemble(List<byte[]> chunks, int expectedChunks, long expectedBytes, String expectedSha256)
            throws Mismatch {
        if (chunks.size() != expectedChunks) {
            throw new Mismatch(chunks.size() + " chunks given, the manifest lists " + expectedChunks);
        }
        long total = 0;
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i) == null) {
                throw new Mismatch("chunk " + i + " of " + expectedChunks + " is missing (truncated)");
            }
            total += chunks.get(i).length;
        }
        if (total != expectedBytes) {
            throw new Mismatch("chunks hold " + total + " bytes, the manifest says " + expectedBytes + " (truncated)");
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new Mismatch(total + " bytes do not fit one Java array");
        }
        byte[] whole = new byte[(int) total];
        int at = 0;
        for (byte[] c : chunks) {
            System.arraycopy(c, 0, whole, at, c.length);
            at += c.length;
        }
        String sha = sha256Hex(whole);
        if (!sha.equals(expectedSha256)) {
            throw new Mismatch("SHA-256 of the chunks is " + sha.substring(0, 16) + "…, the manifest says "
                    + (expectedSha256.length() > 16 ? expectedSha256.substring(0, 16) : expectedSha256) + "… (corrupted chunk)");
        }
        return whole;
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /** Slices that do not make up the payload their manifest describes. */
    public static final class Mismatch extends Exception {

        public Mismatch(String what) {
            super(what);
        }
    }
}
