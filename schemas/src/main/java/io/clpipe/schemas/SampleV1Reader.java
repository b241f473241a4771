package io.clpipe.schemas;

import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import java.util.Arrays;

/**
 * Decodes a {@link Sample} written with format version 1 (the compiled {@code Sample.avsc}) without
 * Avro's resolving reader, which spends one parser step per float: for a 784-pixel image that was
 * 30–40 µs a record, more than the training step it feeds. This reader copies the floats in bulk into a
 * {@link PackedFloats} list, so the rest of the code sees a {@code Sample} either way.
 *
 * <p>It is written against one exact schema, pinned by {@link #WRITER_FINGERPRINT}; {@link #forCompiledSchema()}
 * answers null when {@code Sample.avsc} has changed, and {@link AvroSerde} then uses Avro's reader.
 */
final class SampleV1Reader implements BinaryRecordReader<Sample> {

    /** Avro's parsing fingerprint (CRC-64-AVRO) of the schema this reader decodes. */
    static final long WRITER_FINGERPRINT = 0x3aefa8ef52de2d8cL;

    private static final Split[] SPLITS = Split.values();
    private static final float[] EMPTY = new float[0];

    private SampleV1Reader() {
    }

    /** @return the reader, or null if the compiled Sample schema is no longer the one it decodes */
    static SampleV1Reader forCompiledSchema() {
        Schema schema = Sample.getClassSchema();
        if (SchemaNormalization.parsingFingerprint64(schema) != WRITER_FINGERPRINT) {
            return null;
        }
        return new SampleV1Reader();
    }

    @Override
    public Sample read(byte[] bytes, int offset) {
        AvroBytes in = new AvroBytes(bytes, offset);
        String stream = in.readString("stream");
        String task = in.readIndex("task", 2) == 0 ? null : in.readString("task");
        PackedFloats features = in.readIndex("features", 2) == 0 ? null : floats(in);
        String text = in.readIndex("text", 2) == 0 ? null : in.readString("text");
        Integer label = in.readIndex("label", 2) == 0 ? null : in.readInt("label");
        Split split = in.readIndex("split", 2) == 0 ? null : SPLITS[in.readIndex("split", SPLITS.length)];
        String sampleId = in.readString("sampleId");
        Long eventTime = in.readIndex("eventTime", 2) == 0 ? null : in.readLong("eventTime");
        long ingestTime = in.readLong("ingestTime");
        if (!in.atEnd()) {
            throw new MalformedRecordException("trailing bytes after the record (" + (bytes.length - in.position())
                    + " of " + bytes.length + "); written with a different schema?");
        }
        return new Sample(stream, task, features, text, label, split, sampleId, eventTime, ingestTime);
    }

    /** Avro arrays come in blocks: a count (negative: followed by the block's byte size), items, until a count of 0. */
    private static PackedFloats floats(AvroBytes in) {
        float[] out = EMPTY;
        for (long count = in.readLong("features"); count != 0; count = in.readLong("features")) {
            if (count < 0) {
                count = -count;
                in.readLong("features");
            }
            int n = in.length("features", count, Float.BYTES);
            int at = out.length;
            out = Arrays.copyOf(out, at + n);
            in.readFloats("features", out, at, n);
        }
        return new PackedFloats(out);
    }
}
