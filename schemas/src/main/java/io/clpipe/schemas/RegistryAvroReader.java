package io.clpipe.schemas;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads values in Confluent's Schema Registry wire format (byte 0, a 4-byte big-endian schema id,
 * the Avro binary record) into clpipe's compiled record: the writer schema comes from the registry
 * by id and is resolved against the reader schema with Avro's schema resolution, so producers may
 * write an older or newer compatible schema (fields added with defaults, reordered, removed).
 */
public final class RegistryAvroReader<T> {

    public static final byte MAGIC = 0;

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final GeneratedClasses classes = new GeneratedClasses();
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    public RegistryAvroReader(SchemaRegistryClient registry, Schema readerSchema) {
        this.registry = registry;
        this.readerSchema = readerSchema;
    }

    /** The schema id of a wire-format value. */
    public static int schemaId(byte[] value) {
        if (value == null || value.length < 5 || value[0] != MAGIC) {
            throw new SerializationException("not in the schema registry wire format (byte 0, a 4-byte schema id, the record)");
        }
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    /** @throws SerializationException naming the schema id and what went wrong */
    public T read(byte[] value) {
        int id = schemaId(value);
        SpecificDatumReader<T> reader = readers.computeIfAbsent(id, i -> {
            Schema writer = registry.schema(i);
            return new SpecificDatumReader<>(writer, readerSchema, classes);
        });
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + readerSchema.getName() + " written with registry schema id " + id
                    + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new SerializationException("cannot decode " + readerSchema.getName() + " written with registry schema id " + id
                        + ": trailing bytes after the record");
            }
        } catch (IOException e) {
            throw new SerializationException(e.getMessage(), e);
        }
        return record;
    }
}
