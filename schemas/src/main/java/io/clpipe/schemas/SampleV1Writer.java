package io.clpipe.schemas;

import io.clpipe.schemas.avro.Sample;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * Encodes a {@link Sample} in format version 1 (the compiled {@code Sample.avsc}) byte for byte as
 * Avro's {@code SpecificDatumWriter} with a direct binary encoder does, without its per-float encoder
 * calls and buffer growth: the exact size is computed first, then one array is filled. Avro's writer
 * took about a quarter of ingest's time on 784-float samples (docs/benchmarks.md, "Ingest").
 *
 * <p>Pinned to one schema like {@link SampleV1Reader}: {@link #forCompiledSchema()} answers null when
 * {@code Sample.avsc} has changed, and {@link AvroSerde} then uses Avro's writer. Stateless and thread-safe.
 */
final class SampleV1Writer {

    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private SampleV1Writer() {
    }

    /** @return the writer, or null if the compiled Sample schema is no longer the one it encodes */
    static SampleV1Writer forCompiledSchema() {
        return SchemaNormalization.parsingFingerprint64(Sample.getClassSchema()) == SampleV1Reader.WRITER_FINGERPRINT
                ? new SampleV1Writer() : null;
    }

    /**
     * @return {@code version} followed by the Avro binary encoding of {@code sample}
     * @throws NullPointerException if a field the schema requires is null (as Avro's writer does)
     */
    byte[] write(Sample sample, byte version) {
        byte[] stream = utf8(sample.getStream(), "stream");
        byte[] task = sample.getTask() == null ? null : utf8(sample.getTask(), "task");
        List<Float> features = sample.getFeatures();
        byte[] text = sample.getText() == null ? null : utf8(sample.getText(), "text");
        Integer label = sample.getLabel();
        byte[] sampleId = utf8(sample.getSampleId(), "sampleId");
        Long eventTime = sample.getEventTime();
        int n = features == null ? 0 : features.size();

        int size = 1 + stringSize(stream) + 1 + (task == null ? 0 : stringSize(task)) + 1
                + (features == null ? 0 : (n == 0 ? 1 : longSize(n) + Float.BYTES * n + 1))
                + 1 + (text == null ? 0 : stringSize(text)) + 1 + (label == null ? 0 : longSize(label))
                + 1 + (sample.getSplit() == null ? 0 : longSize(sample.getSplit().ordinal()))
                + stringSize(sampleId) + 1 + (eventTime == null ? 0 : longSize(eventTime)) + longSize(sample.getIngestTime());
        byte[] out = new byte[size];
        int pos = 0;
        out[pos++] = version;
        pos = writeString(out, pos, stream);
        pos = writeOptionalString(out, pos, task);
        if (features == null) {
            out[pos++] = 0;
        } else {
            out[pos++] = 2; // union branch 1, zig-zag
            if (n > 0) {
                pos = writeLong(out, pos, n);
                pos = writeFloats(out, pos, features, n);
            }
            out[pos++] = 0; // end of the array's blocks
        }
        pos = writeOptionalString(out, pos, text);
        if (label == null) {
            out[pos++] = 0;
        } else {
            out[pos++] = 2;
            pos = writeLong(out, pos, label);
        }
        if (sample.getSplit() == null) {
            out[pos++] = 0;
        } else {
            out[pos++] = 2;
            pos = writeLong(out, pos, sample.getSplit().ordinal());
        }
        pos = writeString(out, pos, sampleId);
        if (eventTime == null) {
            out[pos++] = 0;
        } else {
            out[pos++] = 2;
            pos = writeLong(out, pos, eventTime);
        }
        pos = writeLong(out, pos, sample.getIngestTime());
        if (pos != size) {
            throw new IllegalStateException("encoded " + pos + " bytes, sized " + size); // a bug here, not bad input
        }
        return out;
    }

    private static int writeFloats(byte[] out, int pos, List<Float> features, int n) {
        if (features instanceof PackedFloats packed) {
            for (int i = 0; i < n; i++, pos += Float.BYTES) {
                FLOAT_LE.set(out, pos, packed.getFloat(i));
            }
        } else if (features instanceof PrimitivesArrays.FloatArray primitive) {
            for (int i = 0; i < n; i++, pos += Float.BYTES) {
                FLOAT_LE.set(out, pos, primitive.getFloat(i));
            }
        } else {
            for (int i = 0; i < n; i++, pos += Float.BYTES) {
                FLOAT_LE.set(out, pos, (float) features.get(i));
            }
        }
        return pos;
    }

    private static byte[] utf8(CharSequence s, String field) {
        if (s == null) {
            throw new NullPointerException("null value for (non-nullable) string field " + field);
        }
        // Avro writes a String as String.getBytes(UTF_8), which replaces an unpaired surrogate with '?'
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int stringSize(byte[] utf8) {
        return longSize(utf8.length) + utf8.length;
    }

    private static int writeOptionalString(byte[] out, int pos, byte[] utf8) {
        if (utf8 == null) {
            out[pos++] = 0;
            return pos;
        }
        out[pos++] = 2;
        return writeString(out, pos, utf8);
    }

    private static int writeString(byte[] out, int pos, byte[] utf8) {
        pos = writeLong(out, pos, utf8.length);
        System.arraycopy(utf8, 0, out, pos, utf8.length);
        return pos + utf8.length;
    }

    /** Bytes of Avro's zig-zag varint encoding of {@code v} (ints are encoded as longs of the same value). */
    private static int longSize(long v) {
        long z = (v << 1) ^ (v >> 63);
        int size = 1;
        while ((z & ~0x7fL) != 0) {
            z >>>= 7;
            size++;
        }
        return size;
    }

    private static int writeLong(byte[] out, int pos, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7fL) != 0) {
            out[pos++] = (byte) ((z & 0x7f) | 0x80);
            z >>>= 7;
        }
        out[pos++] = (byte) z;
        return pos;
    }
}
