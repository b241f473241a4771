package io.clpipe.schemas;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * An unmodifiable {@code List<Float>} over a {@code float[]}, which is what {@link SampleV1Reader}
 * puts in {@code Sample.features}: filled by one bulk copy from the encoded bytes, and copied out by
 * {@link Features#toArray} without boxing or a per-element call.
 */
public final class PackedFloats extends AbstractList<Float> implements RandomAccess {

    private final float[] values;

    PackedFloats(float[] values) {
        this.values = values;
    }

    @Override
    public Float get(int index) {
        return values[index];
    }

    public float getFloat(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }

    /** A copy of the values. */
    public float[] toFloatArray() {
        return Arrays.copyOf(values, values.length);
    }
}
