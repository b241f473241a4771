package io.clpipe.schemas;

import io.clpipe.schemas.BinaryRecordReader.MalformedRecordException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over Avro's binary encoding in a byte array (zig-zag varints, length-prefixed UTF-8,
 * little-endian IEEE floats), checking every length against the bytes that are left so that a hostile
 * value fails with a message instead of a huge allocation or an index error.
 */
final class AvroBytes {

    private final byte[] bytes;
    private int pos;

    AvroBytes(byte[] bytes, int offset) {
        this.bytes = bytes;
        this.pos = offset;
    }

    boolean atEnd() {
        return pos == bytes.length;
    }

    int position() {
        return pos;
    }

    long readLong(String field) {
        long raw = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= bytes.length) {
                throw truncated(field);
            }
            byte b = bytes[pos++];
            raw |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new MalformedRecordException(field + ": varint longer than 10 bytes at byte " + pos);
    }

    int readInt(String field) {
        long value = readLong(field);
        if (value != (int) value) {
            throw new MalformedRecordException(field + ": " + value + " does not fit an int");
        }
        return (int) value;
    }

    /** Index of a union branch or enum symbol, in {@code [0, count)}. */
    int readIndex(String field, int count) {
        long index = readLong(field);
        if (index < 0 || index >= count) {
            throw new MalformedRecordException(field + ": index " + index + " out of [0, " + count + ")");
        }
        return (int) index;
    }

    String readString(String field) {
        int length = length(field, readLong(field), 1);
        String value = new String(bytes, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return value;
    }

    /** Reads {@code count} floats into {@code into[at..]}. */
    void readFloats(String field, float[] into, int at, int count) {
        length(field, count, Float.BYTES);
        ByteBuffer.wrap(bytes, pos, count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into, at, count);
        pos += count * Float.BYTES;
    }

    /** A length of {@code count} items of {@code itemBytes} each, checked against the bytes left. */
    int length(String field, long count, int itemBytes) {
        if (count < 0) {
            throw new MalformedRecordException(field + ": negative length " + count);
        }
        if (count * itemBytes > bytes.length - pos) {
            throw truncated(field);
        }
        return (int) count;
    }

    private MalformedRecordException truncated(String field) {
        return new MalformedRecordException(field + ": value ends early (" + bytes.length + " bytes)");
    }
}
