package io.clpipe.learner.engine.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds one checkpoint section in memory (big-endian), so its length can precede it in the file. */
final class SectionWriter {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);
    private final ByteBuffer chunk = ByteBuffer.allocate(1 << 16);

    SectionWriter writeInt(int v) {
        return io(() -> out.writeInt(v));
    }

    SectionWriter writeLong(long v) {
        return io(() -> out.writeLong(v));
    }

    SectionWriter writeDouble(double v) {
        return io(() -> out.writeDouble(v));
    }

    SectionWriter writeByte(int v) {
        return io(() -> out.writeByte(v));
    }

    /** Length-prefixed UTF-8. */
    SectionWriter writeString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeInt(b.length);
        return io(() -> out.write(b));
    }

    /** Length-prefixed floats. */
    SectionWriter writeFloats(float[] values) {
        writeInt(values.length);
        int i = 0;
        while (i < values.length) {
            chunk.clear();
            int n = Math.min(values.length - i, chunk.capacity() / Float.BYTES);
            chunk.asFloatBuffer().put(values, i, n);
            int len = n * Float.BYTES;
            io(() -> out.write(chunk.array(), 0, len));
            i += n;
        }
        return this;
    }

    /** Length-prefixed bytes. */
    SectionWriter writeBytes(byte[] values) {
        writeInt(values.length);
        return io(() -> out.write(values));
    }

    /** Writes name, length and contents to {@code target}. */
    void writeTo(String name, DataOutputStream target) throws IOException {
        out.flush();
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        target.writeShort(n.length);
        target.write(n);
        target.writeLong(bytes.size());
        bytes.writeTo((OutputStream) target);
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private SectionWriter io(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
