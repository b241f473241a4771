package io.clpipe.schemas;

/**
 * Decodes the Avro binary encoding of one record, written with one known writer schema, from a byte
 * array: a hand-written alternative to Avro's resolving reader for a record on a hot path.
 */
@FunctionalInterface
public interface BinaryRecordReader<T> {

    /**
     * @param bytes  the value
     * @param offset where the Avro encoding starts (after the format-version byte)
     * @return the record, which must end exactly at the end of {@code bytes}
     * @throws MalformedRecordException if the bytes are not one complete record of the writer schema
     */
    T read(byte[] bytes, int offset);

    /** The bytes are not a record of the reader's writer schema; the message says where and why. */
    final class MalformedRecordException extends RuntimeException {
        public MalformedRecordException(String message) {
            super(message);
        }
    }
}
