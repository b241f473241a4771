package io.clpipe.schemas;

import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary Avro for one record type, without a schema registry: each value is one format-version byte
 * followed by the Avro binary encoding of the record.
 *
 * <p>The writer schema is always the compiled one, under {@link #currentVersion()}. A reader knows
 * the writer schemas of every older version it supports and resolves them to the compiled schema
 * with Avro's schema resolution, so data written by an older build stays readable. A version newer
 * than this build is rejected with a message that says so: upgrade consumers before producers.
 *
 * <p>Thread-safe; usable as a Kafka {@link Serde} and directly via {@link #serialize(SpecificRecord)}
 * and {@link #deserialize(byte[])}.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    /** Version byte of every record type's first (current) schema. */
    public static final byte V1 = 1;

    /** Magic byte of Confluent's Schema Registry wire format; recognised only to explain the error. */
    private static final byte CONFLUENT_MAGIC = 0;

    private final String recordName;
    private final byte currentVersion;
    private final SpecificDatumWriter<T> writer;
    private final Map<Byte, SpecificDatumReader<T>> readers = new HashMap<>();
    private final Map<Byte, BinaryRecordReader<T>> directReaders = new HashMap<>();
    /** A hand-written encoder of the current version, or null: Avro's writer. */
    private final java.util.function.Function<T, byte[]> directWriter;

    /**
     * @param readerSchema        the compiled schema of {@code T}
     * @param currentVersion      version byte written with it (1..8: bytes JSON text never starts with)
     * @param olderWriterSchemas  writer schemas of the older versions this build still reads
     */
    public AvroSerde(Schema readerSchema, byte currentVersion, Map<Byte, Schema> olderWriterSchemas) {
        this(readerSchema, currentVersion, olderWriterSchemas, null);
    }

    private AvroSerde(Schema readerSchema, byte currentVersion, Map<Byte, Schema> olderWriterSchemas,
                      java.util.function.Function<T, byte[]> directWriter) {
        this.directWriter = directWriter;
        if (currentVersion < 1 || currentVersion > 8) {
            throw new IllegalArgumentException("format version must be 1..8, got " + currentVersion);
        }
        this.recordName = readerSchema.getName();
        this.currentVersion = currentVersion;
        GeneratedClasses classes = new GeneratedClasses();
        this.writer = new SpecificDatumWriter<>(readerSchema, classes);
        readers.put(currentVersion, new SpecificDatumReader<>(readerSchema, readerSchema, classes));
        olderWriterSchemas.forEach((version, writerSchema) -> {
            if (version >= currentVersion) {
                throw new IllegalArgumentException("older version " + version + " must be below current " + currentVersion);
            }
            readers.put(version, new SpecificDatumReader<>(writerSchema, readerSchema, classes));
        });
    }

    /**
     * Samples are decoded by {@link SampleV1Reader} and encoded by {@link SampleV1Writer} (several times
     * faster than Avro's reader and writer for feature vectors) as long as the compiled schema is the
     * one they were written for.
     */
    public static AvroSerde<Sample> sample() {
        SampleV1Writer writer = SampleV1Writer.forCompiledSchema();
        AvroSerde<Sample> serde = new AvroSerde<>(Sample.getClassSchema(), V1, Map.of(),
                writer == null ? null : sample -> writer.write(sample, V1));
        SampleV1Reader direct = SampleV1Reader.forCompiledSchema();
        if (direct != null) {
            serde.directReaders.put(V1, direct);
        }
        return serde;
    }

    /** Avro's own reader and writer for every version, without direct ones: the reference the direct ones are tested against. */
    public static AvroSerde<Sample> sampleWithAvroReader() {
        return new AvroSerde<>(Sample.getClassSchema(), V1, Map.of());
    }

    /** True if values of {@code version} are decoded by a hand-written reader rather than Avro's. */
    public boolean readsDirectly(byte version) {
        return directReaders.containsKey(version);
    }

    /** True if records are encoded by a hand-written writer rather than Avro's. */
    public boolean writesDirectly() {
        return directWriter != null;
    }

    public static AvroSerde<ControlEvent> controlEvent() {
        return new AvroSerde<>(ControlEvent.getClassSchema(), V1, Map.of());
    }

    public static AvroSerde<ModelSnapshot> modelSnapshot() {
        return new AvroSerde<>(ModelSnapshot.getClassSchema(), V1, Map.of());
    }

    public static AvroSerde<IterationMetrics> iterationMetrics() {
        return new AvroSerde<>(IterationMetrics.getClassSchema(), V1, Map.of());
    }

    public static AvroSerde<io.clpipe.schemas.avro.PredictionRequest> predictionRequest() {
        return new AvroSerde<>(io.clpipe.schemas.avro.PredictionRequest.getClassSchema(), V1, Map.of());
    }

    public byte currentVersion() {
        return currentVersion;
    }

    /** True if {@code bytes} starts with a format version this serde reads. */
    public boolean recognises(byte[] bytes) {
        return bytes != null && bytes.length > 0 && readers.containsKey(bytes[0]);
    }

    /** @return the framed bytes, or null for a null record (a tombstone) */
    public byte[] serialize(T record) {
        if (record == null) {
            return null;
        }
        if (directWriter != null) {
            try {
                return directWriter.apply(record);
            } catch (RuntimeException e) {
                throw new SerializationException("cannot encode " + recordName + ": " + e.getMessage(), e);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(currentVersion);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + recordName + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /**
     * @return the record, or null for null bytes (a tombstone)
     * @throws SerializationException if the bytes are not a complete record of a known format version
     */
    public T deserialize(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length == 0) {
            throw new SerializationException("cannot decode " + recordName + ": empty value");
        }
        SpecificDatumReader<T> reader = readers.get(bytes[0]);
        if (reader == null) {
            throw new SerializationException(unknownVersion(bytes[0]));
        }
        BinaryRecordReader<T> direct = directReaders.get(bytes[0]);
        if (direct != null) {
            try {
                return direct.read(bytes, 1);
            } catch (RuntimeException e) {
                throw new SerializationException("cannot decode " + recordName + " (format v" + bytes[0] + "): " + e.getMessage(), e);
            }
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null);
        try {
            T record = reader.read(null, decoder);
            if (decoder.isEnd()) {
                return record;
            }
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + recordName + " (format v" + bytes[0] + "): "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        throw new SerializationException("cannot decode " + recordName + " (format v" + bytes[0]
                + "): trailing bytes after the record; written with a different schema?");
    }

    private String unknownVersion(byte version) {
        String known = new TreeSet<>(readers.keySet()).toString();
        if (version == CONFLUENT_MAGIC) {
            return "cannot decode " + recordName + ": starts with 0, the Confluent Schema Registry magic byte;"
                    + " clpipe uses no registry, its Avro values start with a format version " + known;
        }
        if (version > currentVersion && version <= 8) {
            return "cannot decode " + recordName + ": format version " + version + " is newer than this build reads "
                    + known + "; upgrade this consumer";
        }
        return "cannot decode " + recordName + ": unknown format version byte " + (version & 0xff) + ", expected one of " + known;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> serialize(record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> deserialize(bytes);
    }
}
