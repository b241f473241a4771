package io.clpipe.schemas;

import io.clpipe.schemas.avro.ModelSnapshot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The parameter encoding of {@link ModelSnapshot}: float32 little-endian, checked by CRC-32C.
 * CRC-32C rather than SHA-256 because the threat is corruption, not tampering, and a 2 MB snapshot
 * hashes in well under a millisecond.
 */
public final class ParameterBytes {

    private ParameterBytes() {
    }

    public static ByteBuffer encode(float[] parameters) {
        ByteBuffer buffer = ByteBuffer.allocate(parameters.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(parameters);
        return buffer;
    }

    /** Sets parameters, parameterCount and parametersCrc32c of a snapshot being built. */
    public static ModelSnapshot.Builder setParameters(ModelSnapshot.Builder snapshot, float[] parameters) {
        ByteBuffer bytes = encode(parameters);
        return snapshot.setParameters(bytes).setParameterCount(parameters.length).setParametersCrc32c(crc32c(bytes));
    }

    /** Decodes the whole remaining content of {@code bytes}; its position is left unchanged. */
    public static float[] decode(ByteBuffer bytes) {
        if (bytes.remaining() % Float.BYTES != 0) {
            throw new IllegalArgumentException("parameter bytes " + bytes.remaining() + " are not a multiple of 4");
        }
        float[] out = new float[bytes.remaining() / Float.BYTES];
        bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** CRC-32C of the remaining content of {@code bytes}, unsigned; its position is left unchanged. */
    public static long crc32c(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        return crc.getValue();
    }

    /**
     * The snapshot's parameters, after checking them against its count and checksum.
     *
     * @throws IllegalStateException naming the snapshot if either does not match
     */
    public static float[] verifiedParameters(ModelSnapshot snapshot) {
        ByteBuffer bytes = snapshot.getParameters();
        long count = bytes.remaining() / Float.BYTES;
        if (bytes.remaining() % Float.BYTES != 0 || count != snapshot.getParameterCount()) {
            throw new IllegalStateException(describe(snapshot) + ": " + bytes.remaining() + " parameter bytes, expected "
                    + snapshot.getParameterCount() + " float32 values");
        }
        long crc = crc32c(bytes);
        if (crc != snapshot.getParametersCrc32c()) {
            throw new IllegalStateException(describe(snapshot) + ": parameter CRC-32C " + Long.toHexString(crc)
                    + " does not match the recorded " + Long.toHexString(snapshot.getParametersCrc32c()));
        }
        return decode(bytes);
    }

    private static String describe(ModelSnapshot snapshot) {
        return "snapshot " + snapshot.getStream() + " v" + snapshot.getVersion();
    }
}
