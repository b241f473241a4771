package io.clpipe.schemas;

import io.clpipe.schemas.avro.Sample;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Decodes a value of the samples topic, JSON or Avro. A value whose first byte is below 0x09 is Avro
 * framed by {@link AvroSerde} (a format version), or with byte 0 in the schema registry wire format,
 * read with the registry when one is configured and otherwise explained and refused; JSON text cannot
 * start with such a byte. Anything else is parsed as JSON.
 */
public final class SampleDecoder {

    private final AvroSerde<Sample> avro = AvroSerde.sample();
    private final RegistryAvroReader<Sample> registry;

    public SampleDecoder() {
        this.registry = null;
    }

    /** Also reads the schema registry wire format (leading byte 0) with writer schemas from {@code registry}. */
    public SampleDecoder(SchemaRegistryClient registry) {
        this.registry = new RegistryAvroReader<>(registry, Sample.getClassSchema());
    }

    /**
     * The {@code stream} field of a value, or {@code ""} when it has none or cannot be decoded (the
     * validator then rejects the record and says why). Reads only that field of a JSON value.
     */
    public String streamOf(byte[] value) {
        if (value == null || value.length == 0) {
            return "";
        }
        if (value[0] >= 0 && value[0] < '\t') {
            try {
                return avro.deserialize(value).getStream();
            } catch (SerializationException e) {
                return "";
            }
        }
        return SampleJson.streamOf(value);
    }

    /** @throws InvalidSampleException naming the field at fault */
    public Sample decode(byte[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidSampleException(new Rejection(RejectReason.UNPARSABLE, null,
                    value == null ? "record has no value" : "record value is empty"));
        }
        if (value[0] >= 0 && value[0] < '\t') {
            try {
                return registry != null && value[0] == RegistryAvroReader.MAGIC ? registry.read(value) : avro.deserialize(value);
            } catch (SerializationException e) {
                throw new InvalidSampleException(new Rejection(RejectReason.UNPARSABLE, null, e.getMessage()));
            }
        }
        return SampleJson.parse(value);
    }
}
