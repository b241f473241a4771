package io.clpipe.schemas;

import io.clpipe.schemas.avro.Sample;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Decodes a value of the samples topic, JSON or Avro. A value whose first byte is below 0x09 is Avro
 * framed by {@link AvroSerde} (a format version, or 0 for Confluent's framing, which is explained and
 * refused); JSON text cannot start with such a byte. Anything else is parsed as JSON.
 */
public final class SampleDecoder {

    private final AvroSerde<Sample> avro = AvroSerde.sample();

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
                return avro.deserialize(value);
            } catch (SerializationException e) {
                throw new InvalidSampleException(new Rejection(RejectReason.UNPARSABLE, null, e.getMessage()));
            }
        }
        return SampleJson.parse(value);
    }
}
