package io.clpipe.learner.engine.optim;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One pass over an optimizer's flat vectors — parameters, gradients and its own state — in chunks
 * small enough to stay in L1: each chunk is copied into heap arrays, updated there by one loop (a
 * loop over float[] vectorises, one over a FloatBuffer does not), and the parameters and state are
 * copied back. An update then reads every vector once and writes two or three, where a sequence of
 * BLAS level-1 calls re-reads them once per call (three to five calls per step).
 *
 * <p>The views of the parameter and gradient vectors are built the first time they are seen and
 * kept while the caller passes the same arrays, so a step allocates nothing.
 */
final class FlatPass {

    /** 2,048 floats: five vectors' chunks take 40 KB, about an L1 data cache on this hardware class. */
    static final int CHUNK = 2048;

    private final long length;
    private final FloatBuffer[] state;
    private final float[] parameterChunk = new float[CHUNK];
    private final float[] gradientChunk = new float[CHUNK];
    private final float[][] stateChunks;
    private INDArray boundParameters;
    private INDArray boundGradients;
    private FloatBuffer parameters;
    private FloatBuffer gradients;

    /** {@code stateVectors}: the optimizer's own vectors, each {@code length} floats, read and written every pass. */
    FlatPass(long length, List<INDArray> stateVectors) {
        this.length = length;
        this.state = new FloatBuffer[stateVectors.size()];
        this.stateChunks = new float[stateVectors.size()][CHUNK];
        for (int i = 0; i < state.length; i++) {
            state[i] = view(stateVectors.get(i), length, "optimizer state vector " + i);
        }
    }

    /** Points the pass at this step's vectors (a no-op when they are the ones of the last step). */
    void bind(INDArray parameterVector, INDArray gradientVector) {
        if (parameterVector != boundParameters) {
            parameters = view(parameterVector, length, "parameters");
            boundParameters = parameterVector;
        }
        if (gradientVector != boundGradients) {
            gradients = view(gradientVector, length, "gradients");
            boundGradients = gradientVector;
        }
    }

    int length() {
        return (int) length;
    }

    /** Copies {@code [from, from + n)} of every vector into the chunk arrays. */
    void load(int from, int n) {
        parameters.get(from, parameterChunk, 0, n);
        gradients.get(from, gradientChunk, 0, n);
        for (int i = 0; i < state.length; i++) {
            state[i].get(from, stateChunks[i], 0, n);
        }
    }

    /** Writes the parameter and state chunks back to {@code [from, from + n)}; the gradients are left as they were. */
    void store(int from, int n) {
        parameters.put(from, parameterChunk, 0, n);
        for (int i = 0; i < state.length; i++) {
            state[i].put(from, stateChunks[i], 0, n);
        }
    }

    float[] parameterChunk() {
        return parameterChunk;
    }

    float[] gradientChunk() {
        return gradientChunk;
    }

    float[] stateChunk(int i) {
        return stateChunks[i];
    }

    /**
     * The off-heap float32 values of a vector stored contiguously from the start of its buffer (a
     * reshape of a flat vector qualifies; a sub-range view does not).
     */
    private static FloatBuffer view(INDArray array, long length, String what) {
        if (array.dataType() != DataType.FLOAT || array.length() != length || length > Integer.MAX_VALUE
                || array.offset() != 0 || (length > 1 && array.elementWiseStride() != 1)) {
            throw new IllegalArgumentException(what + " must be a contiguous float32 vector of " + length
                    + " values from the start of its buffer, got " + array.shapeInfoToString());
        }
        FloatBuffer floats = array.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        if (floats.capacity() < length) {
            throw new IllegalArgumentException(what + ": buffer holds " + floats.capacity() + " values, need " + length);
        }
        return floats.slice(0, (int) length);
    }
}
