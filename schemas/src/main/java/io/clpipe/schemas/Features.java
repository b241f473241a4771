package io.clpipe.schemas;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;

/**
 * Converts between {@code float[]} and the {@code List<Float>} that Avro generates for
 * {@code array<float>}, without boxing when the list is {@link PackedFloats} (what {@link AvroSerde#sample()}
 * decodes) or Avro's primitive-backed array (what Avro's own reader decodes).
 */
public final class Features {

    private static final Schema FLOAT_ARRAY = Schema.createArray(Schema.create(Schema.Type.FLOAT));

    private Features() {
    }

    /** A list view for {@code Sample.features}; the values are copied. */
    public static List<Float> of(float... values) {
        PrimitivesArrays.FloatArray list = emptyList(values.length);
        for (int i = 0; i < values.length; i++) {
            list.add(i, values[i]);
        }
        return list;
    }

    /** An empty, growable primitive-backed list. */
    static PrimitivesArrays.FloatArray emptyList(int capacity) {
        return new PrimitivesArrays.FloatArray(capacity, FLOAT_ARRAY);
    }

    /** Index of the first NaN or infinite value, or −1; reads the values in place (no copy, no boxing for clpipe's lists). */
    public static int indexOfNonFinite(List<Float> features) {
        int n = features.size();
        if (features instanceof PackedFloats packed) {
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(packed.getFloat(i))) {
                    return i;
                }
            }
        } else if (features instanceof PrimitivesArrays.FloatArray primitive) {
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(primitive.getFloat(i))) {
                    return i;
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(features.get(i))) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Copies the values out; null stays null. */
    public static float[] toArray(List<Float> features) {
        if (features == null) {
            return null;
        }
        if (features instanceof PackedFloats packed) {
            return packed.toFloatArray();
        }
        float[] out = new float[features.size()];
        if (features instanceof PrimitivesArrays.FloatArray primitive) {
            for (int i = 0; i < out.length; i++) {
                out[i] = primitive.getFloat(i);
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = features.get(i);
            }
        }
        return out;
    }
}
