package io.clpipe.models;

import java.nio.FloatBuffer;

/**
 * One pre-norm Transformer block on N = windows·T rows: {@code mid = x + Attn(LN1(x))},
 * {@code out = mid + W2·ReLU(W1·LN2(mid))}, causal multi-head self-attention within each window.
 * Projections are single sgemms over all rows; attention is two sgemms per window and head on
 * sub-matrices of the same buffers (leading dimensions, no copies). Every activation the backward
 * pass needs is kept in buffers preallocated for the model's largest batch.
 */
final class TransformerBlock {

    /** Parameter or gradient slices of one block, in layout order. */
    record Weights(FloatRegion ln1Gain, FloatRegion ln1Bias, FloatRegion qkvW, FloatRegion qkvB, FloatRegion outW, FloatRegion outB,
                   FloatRegion ln2Gain, FloatRegion ln2Bias, FloatRegion ff1W, FloatRegion ff1B, FloatRegion ff2W, FloatRegion ff2B) {

        static Weights of(FloatRegion flat, ParameterLayout layout, String prefix) {
            return new Weights(slice(flat, layout, prefix + "ln1.gain"), slice(flat, layout, prefix + "ln1.bias"),
                    slice(flat, layout, prefix + "qkv.w"), slice(flat, layout, prefix + "qkv.b"),
                    slice(flat, layout, prefix + "out.w"), slice(flat, layout, prefix + "out.b"),
                    slice(flat, layout, prefix + "ln2.gain"), slice(flat, layout, prefix + "ln2.bias"),
                    slice(flat, layout, prefix + "ff1.w"), slice(flat, layout, prefix + "ff1.b"),
                    slice(flat, layout, prefix + "ff2.w"), slice(flat, layout, prefix + "ff2.b"));
        }

        private static FloatRegion slice(FloatRegion flat, ParameterLayout layout, String name) {
            ParameterLayout.Block b = layout.block(name);
            return flat.slice(b.offset(), b.length());
        }
    }

    /** Backward buffers shared by all blocks of a model (used one block at a time). */
    record Scratch(FloatRegion dNorm, FloatRegion dQkv, FloatRegion dHidden, FloatRegion dAttn, FloatRegion dScores,
                   Cursor dQkvA, Cursor dQkvB, Cursor dAttnCursor, Cursor dScoresCursor, float[] block, float[] blockGrad) {

        static Scratch allocate(int maxRows, int d, int ff, int context) {
            FloatRegion dQkv = FloatRegion.allocate(maxRows, 3 * d);
            FloatRegion dAttn = FloatRegion.allocate(maxRows, d);
            FloatRegion dScores = FloatRegion.allocate(context, context);
            return new Scratch(FloatRegion.allocate(maxRows, d), dQkv, FloatRegion.allocate(maxRows, ff), dAttn, dScores,
                    new Cursor(dQkv), new Cursor(dQkv), new Cursor(dAttn), new Cursor(dScores),
                    new float[context * context], new float[context * context]);
        }
    }

    private final int context;
    private final int d;
    private final int heads;
    private final int headWidth;
    private final int ff;
    private final float scale;
    private final Weights w;
    private final Weights g;
    private final RowOps ops;

    private final FloatRegion norm1;
    private final float[] mean1;
    private final float[] rstd1;
    private final FloatRegion qkv;
    private final FloatRegion probs;
    private final FloatRegion attn;
    private final FloatRegion mid;
    private final FloatRegion norm2;
    private final float[] mean2;
    private final float[] rstd2;
    private final FloatRegion hidden;
    private final Cursor qCursor;
    private final Cursor kCursor;
    private final Cursor probsCursor;
    private final Cursor attnCursor;

    TransformerBlock(ModelSpec.ByteTransformer spec, Weights weights, Weights gradients, RowOps ops) {
        this.context = spec.context();
        this.d = spec.width();
        this.heads = spec.heads();
        this.headWidth = d / heads;
        this.ff = spec.ffWidth();
        this.scale = (float) (1 / Math.sqrt(headWidth));
        this.w = weights;
        this.g = gradients;
        this.ops = ops;
        int rows = spec.maxBatch() * context;
        norm1 = FloatRegion.allocate(rows, d);
        mean1 = new float[rows];
        rstd1 = new float[rows];
        qkv = FloatRegion.allocate(rows, 3 * d);
        probs = FloatRegion.allocate(spec.maxBatch() * heads * context, context);
        attn = FloatRegion.allocate(rows, d);
        mid = FloatRegion.allocate(rows, d);
        norm2 = FloatRegion.allocate(rows, d);
        mean2 = new float[rows];
        rstd2 = new float[rows];
        hidden = FloatRegion.allocate(rows, ff);
        qCursor = new Cursor(qkv);
        kCursor = new Cursor(qkv);
        probsCursor = new Cursor(probs);
        attnCursor = new Cursor(attn);
    }

    /** {@code out ← block(x)} for {@code windows} windows of {@code context} rows. */
    void forward(FloatRegion x, FloatRegion out, int windows, Scratch s) {
        int n = windows * context;
        ops.layerNorm(x, w.ln1Gain(), w.ln1Bias(), norm1, mean1, rstd1, n, d);
        Blas.gemm(false, false, n, 3 * d, d, 1f, norm1, d, w.qkvW(), 3 * d, 0f, qkv, 3 * d);
        ops.addBias(qkv, w.qkvB(), n, 3 * d, false);
        for (int b = 0; b < windows; b++) {
            for (int h = 0; h < heads; h++) {
                long q = (long) b * context * 3 * d + (long) h * headWidth;
                long p = ((long) b * heads + h) * context * context;
                long o = (long) b * context * d + (long) h * headWidth;
                Blas.gemm(false, true, context, context, headWidth, scale, qCursor.at(q), 3 * d, kCursor.at(q + d), 3 * d, 0f,
                        probsCursor.at(p), context);
                causalSoftmax(p, s.block());
                Blas.gemm(false, false, context, headWidth, context, 1f, probsCursor.at(p), context, kCursor.at(q + 2L * d), 3 * d,
                        0f, attnCursor.at(o), d);
            }
        }
        RowOps.copy(x, mid, n * d);
        Blas.gemm(false, false, n, d, d, 1f, attn, d, w.outW(), d, 1f, mid, d);
        ops.addBias(mid, w.outB(), n, d, false);
        ops.layerNorm(mid, w.ln2Gain(), w.ln2Bias(), norm2, mean2, rstd2, n, d);
        Blas.gemm(false, false, n, ff, d, 1f, norm2, d, w.ff1W(), ff, 0f, hidden, ff);
        ops.addBias(hidden, w.ff1B(), n, ff, true);
        RowOps.copy(mid, out, n * d);
        Blas.gemm(false, false, n, d, ff, 1f, hidden, ff, w.ff2W(), d, 1f, out, d);
        ops.addBias(out, w.ff2B(), n, d, false);
    }

    /**
     * Writes this block's gradients; {@code delta} holds dLoss/dout on entry and dLoss/dx on return
     * (the residual path adds in place). {@code x} must be the input of the last {@link #forward}.
     */
    void backward(FloatRegion x, FloatRegion delta, int windows, Scratch s) {
        int n = windows * context;
        // feed-forward half: out = mid + ReLU(LN2(mid)·W1 + b1)·W2 + b2
        ops.columnSums(delta, n, d, g.ff2B());
        Blas.gemm(true, false, ff, d, n, 1f, hidden, ff, delta, d, 0f, g.ff2W(), d);
        Blas.gemm(false, true, n, ff, d, 1f, delta, d, w.ff2W(), d, 0f, s.dHidden(), ff);
        ops.reluMask(s.dHidden(), hidden, n, ff);
        ops.columnSums(s.dHidden(), n, ff, g.ff1B());
        Blas.gemm(true, false, d, ff, n, 1f, norm2, d, s.dHidden(), ff, 0f, g.ff1W(), ff);
        Blas.gemm(false, true, n, d, ff, 1f, s.dHidden(), ff, w.ff1W(), ff, 0f, s.dNorm(), d);
        ops.layerNormBackward(mid, w.ln2Gain(), mean2, rstd2, s.dNorm(), delta, g.ln2Gain(), g.ln2Bias(), n, d);
        // attention half: mid = x + Attn(LN1(x))·Wo + bo
        ops.columnSums(delta, n, d, g.outB());
        Blas.gemm(true, false, d, d, n, 1f, attn, d, delta, d, 0f, g.outW(), d);
        Blas.gemm(false, true, n, d, d, 1f, delta, d, w.outW(), d, 0f, s.dAttn(), d);
        for (int b = 0; b < windows; b++) {
            for (int h = 0; h < heads; h++) {
                attentionBackward(b, h, s);
            }
        }
        ops.columnSums(s.dQkv(), n, 3 * d, g.qkvB());
        Blas.gemm(true, false, d, 3 * d, n, 1f, norm1, d, s.dQkv(), 3 * d, 0f, g.qkvW(), 3 * d);
        Blas.gemm(false, true, n, d, 3 * d, 1f, s.dQkv(), 3 * d, w.qkvW(), 3 * d, 0f, s.dNorm(), d);
        ops.layerNormBackward(x, w.ln1Gain(), mean1, rstd1, s.dNorm(), delta, g.ln1Gain(), g.ln1Bias(), n, d);
    }

    /** dQ, dK, dV of one head of one window from dLoss/d(attention output). */
    private void attentionBackward(int b, int h, Scratch s) {
        long q = (long) b * context * 3 * d + (long) h * headWidth;
        long p = ((long) b * heads + h) * context * context;
        long o = (long) b * context * d + (long) h * headWidth;
        // dP = dO·Vᵀ, dV = Pᵀ·dO
        Blas.gemm(false, true, context, context, headWidth, 1f, s.dAttnCursor().at(o), d, kCursor.at(q + 2L * d), 3 * d, 0f,
                s.dScoresCursor().at(0), context);
        Blas.gemm(true, false, context, headWidth, context, 1f, probsCursor.at(p), context, s.dAttnCursor().at(o), d, 0f,
                s.dQkvA().at(q + 2L * d), 3 * d);
        softmaxBackward(p, s);
        // scores = scale·Q·Kᵀ: dQ = scale·dS·K, dK = scale·dSᵀ·Q
        Blas.gemm(false, false, context, headWidth, context, scale, s.dScoresCursor().at(0), context, kCursor.at(q + d), 3 * d, 0f,
                s.dQkvA().at(q), 3 * d);
        Blas.gemm(true, false, context, headWidth, context, scale, s.dScoresCursor().at(0), context, qCursor.at(q), 3 * d, 0f,
                s.dQkvB().at(q + d), 3 * d);
    }

    /** Row-wise softmax of the T×T scores at {@code offset}, position i attending to j <= i only. */
    private void causalSoftmax(long offset, float[] block) {
        FloatBuffer buffer = probs.floats();
        int at = (int) offset;
        buffer.get(at, block, 0, context * context);
        for (int i = 0; i < context; i++) {
            int row = i * context;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) {
                max = Math.max(max, block[row + j]);
            }
            double sum = 0;
            for (int j = 0; j <= i; j++) {
                float e = (float) Math.exp(block[row + j] - max);
                block[row + j] = e;
                sum += e;
            }
            float inv = (float) (1 / sum);
            for (int j = 0; j <= i; j++) {
                block[row + j] *= inv;
            }
            for (int j = i + 1; j < context; j++) {
                block[row + j] = 0f;
            }
        }
        buffer.put(at, block, 0, context * context);
    }

    /** dS = P ⊙ (dP − rowsum(dP ⊙ P)), in place of dP in the scratch. */
    private void softmaxBackward(long offset, Scratch s) {
        float[] pBlock = s.block();
        float[] dBlock = s.blockGrad();
        probs.floats().get((int) offset, pBlock, 0, context * context);
        FloatBuffer dScores = s.dScores().floats();
        dScores.get(0, dBlock, 0, context * context);
        for (int i = 0; i < context; i++) {
            int row = i * context;
            double dot = 0;
            for (int j = 0; j <= i; j++) {
                dot += dBlock[row + j] * pBlock[row + j];
            }
            float c = (float) dot;
            for (int j = 0; j < context; j++) {
                dBlock[row + j] = pBlock[row + j] * (dBlock[row + j] - c);
            }
        }
        dScores.put(0, dBlock, 0, context * context);
    }
}
