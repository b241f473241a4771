package io.clpipe.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The wire form of a parameter vector, as snapshots and checkpoints carry it: float32
 * little-endian, in {@link ParameterLayout} order, with a SHA-256 over exactly those bytes.
 */
public final class ParameterCodec {

    private ParameterCodec() {
    }

    /** Encoded bytes and their SHA-256 (lower-case hex). */
    public record Encoded(byte[] bytes, String sha256) {
    }

    public static Encoded encode(float[] values) {
        byte[] bytes = toBytes(values);
        return new Encoded(bytes, sha256(bytes));
    }

    public static Encoded encode(Model model) {
        return encode(model.parametersToArray());
    }

    public static byte[] toBytes(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    public static float[] fromBytes(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("parameter bytes must be a multiple of 4, got " + bytes.length);
        }
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    /** Decodes after checking the bytes against {@code expectedSha256}; a mismatch is refused. */
    public static float[] decode(byte[] bytes, String expectedSha256) {
        String actual = sha256(bytes);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new IllegalArgumentException("parameter bytes are corrupt: SHA-256 " + actual + ", expected " + expectedSha256);
        }
        return fromBytes(bytes);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
