package io.clpipe.models;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A run of float32 values inside an ND4J array's off-heap buffer, seen two ways: as a native
 * pointer for BLAS and as a {@link FloatBuffer} for Java loops. Both are built once, so using a
 * region in a training step allocates nothing. The region keeps its owning array reachable
 * (ND4J frees a buffer when its array is collected).
 */
record FloatRegion(INDArray owner, FloatPointer pointer, FloatBuffer floats) {

    /** A fresh zeroed {@code rows × cols} row-major ND4J array, outside any active workspace. */
    static FloatRegion allocate(int rows, int cols) {
        return of(detachedZeros(rows, cols));
    }

    /** Models keep their buffers for life: a workspace the caller happens to have open must not own them. */
    static INDArray detachedZeros(long rows, long cols) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(DataType.FLOAT, rows, cols);
        }
    }

    /** The whole buffer of a contiguous, non-view float32 array. */
    static FloatRegion of(INDArray array) {
        if (array.dataType() != DataType.FLOAT || array.isView() || array.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("need a non-view float32 array, got " + array.shapeInfoToString());
        }
        FloatPointer pointer = new FloatPointer(array.data().addressPointer());
        pointer.capacity(array.length()).limit(array.length());
        FloatBuffer floats = array.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        return new FloatRegion(array, pointer, floats.slice(0, (int) array.length()));
    }

    int length() {
        return floats.capacity();
    }

    /** The values {@code [offset, offset + length)} of this region. */
    FloatRegion slice(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > length()) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + length());
        }
        FloatPointer sub = new FloatPointer(pointer);
        sub.position(pointer.position() + offset).limit(pointer.position() + offset + length);
        return new FloatRegion(owner, sub, floats.slice(offset, length));
    }
}
