package io.clpipe.learner.engine.checkpoint;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads one checkpoint section; every length is checked against what is left, so a bad length is
 * reported instead of allocating a huge array.
 */
final class SectionReader {

    /** A malformed section; the caller names the file and section. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message);
        }
    }

    private final ByteBuffer buf;

    SectionReader(byte[] bytes) {
        this.buf = ByteBuffer.wrap(bytes);
    }

    int readInt() {
        return guard(() -> buf.getInt());
    }

    long readLong() {
        return guard(() -> buf.getLong());
    }

    double readDouble() {
        return guard(() -> buf.getDouble());
    }

    byte readByte() {
        return guard(() -> buf.get());
    }

    /** A count of items of at least {@code minBytesEach} bytes that must fit in what is left. */
    int readCount(String what, int minBytesEach) {
        int n = readInt();
        if (n < 0 || (long) n * minBytesEach > buf.remaining()) {
            throw new Malformed(what + " count " + n + " does not fit the " + buf.remaining() + " bytes left");
        }
        return n;
    }

    String readString(String what) {
        int n = readCount(what + " length", 1);
        byte[] b = new byte[n];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    float[] readFloats(String what) {
        int n = readCount(what + " length", Float.BYTES);
        float[] out = new float[n];
        buf.asFloatBuffer().get(out);
        buf.position(buf.position() + n * Float.BYTES);
        return out;
    }

    byte[] readBytes(String what) {
        int n = readCount(what + " length", 1);
        byte[] out = new byte[n];
        buf.get(out);
        return out;
    }

    void expectEnd(String section) {
        if (buf.hasRemaining()) {
            throw new Malformed(section + " section has " + buf.remaining() + " unread bytes");
        }
    }

    private interface Read<T> {
        T get();
    }

    private <T> T guard(Read<T> read) {
        try {
            return read.get();
        } catch (BufferUnderflowException e) {
            throw new Malformed("section ends early");
        }
    }
}
