package io.clpipe.models;

import org.bytedeco.javacpp.FloatPointer;

/** A movable pointer into one {@link FloatRegion}, built once so that addressing a sub-matrix allocates nothing. */
final class Cursor {

    private final FloatPointer pointer;
    private final long base;
    private final long length;

    Cursor(FloatRegion region) {
        this.pointer = new FloatPointer(region.pointer());
        this.base = region.pointer().position();
        this.length = region.length();
    }

    /** The pointer moved to element {@code offset} of the region. */
    FloatPointer at(long offset) {
        if (offset < 0 || offset >= length) {
            throw new IndexOutOfBoundsException("offset " + offset + " of " + length);
        }
        return pointer.position(base + offset);
    }
}
