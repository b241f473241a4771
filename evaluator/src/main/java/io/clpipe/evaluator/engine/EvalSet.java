package io.clpipe.evaluator.engine;

import io.clpipe.models.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The held-out samples of one (stream, task): a reservoir (algorithm R) of at most
 * {@link EvalSetConfig#capacity()} samples, uniform over everything offered so far, and the subset
 * scored at each evaluation.
 *
 * <p>In {@link SubsetMode#FIXED} mode the subset is drawn the first time {@link #subset()} is called
 * with at least {@code subsetSize} samples held, and never changes afterwards; before that, every
 * sample held is scored. Not thread-safe.
 */
public final class EvalSet {

    private final EvalSetConfig config;
    private final Random random;
    private final List<EvalSample> pool;
    private long offered;
    private int featureDim = -1;
    private EvalSubset frozen;
    private Batch frozenBatch;

    public EvalSet(EvalSetConfig config, long seed) {
        this.config = config;
        this.random = new Random(seed);
        this.pool = new ArrayList<>(Math.min(config.capacity(), 1024));
    }

    /** Offers one sample of the task's eval split; it is kept with probability capacity / offered. */
    public void offer(EvalSample sample) {
        int dim = sample.features().length;
        if (featureDim < 0) {
            featureDim = dim;
        } else if (dim != featureDim) {
            throw new IllegalArgumentException("feature dimension " + dim + " differs from the set's " + featureDim);
        }
        offered++;
        if (pool.size() < config.capacity()) {
            pool.add(sample);
            return;
        }
        long slot = (long) (random.nextDouble() * offered);
        if (slot < config.capacity()) {
            pool.set((int) slot, sample);
        }
    }

    /** Samples currently held (at most the capacity). */
    public int size() {
        return pool.size();
    }

    /** Samples offered so far, kept or not. */
    public long offered() {
        return offered;
    }

    /** True once a fixed subset has been drawn. */
    public boolean frozen() {
        return frozen != null;
    }

    /** The samples to score now. */
    public EvalSubset subset() {
        if (frozen != null) {
            return frozen;
        }
        if (pool.size() < config.subsetSize()) {
            return new EvalSubset(pool);
        }
        EvalSubset drawn = new EvalSubset(draw(config.subsetSize()));
        if (config.mode() == SubsetMode.FIXED) {
            frozen = drawn;
        }
        return drawn;
    }

    /** {@link #subset()} as a batch; the fixed subset's batch is built once and reused. */
    public Batch subsetBatch() {
        EvalSubset subset = subset();
        if (subset != frozen) {
            return subset.toBatch();
        }
        if (frozenBatch == null) {
            frozenBatch = frozen.toBatch();
        }
        return frozenBatch;
    }

    private List<EvalSample> draw(int count) {
        int[] index = new int[pool.size()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
        List<EvalSample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(index.length - i);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
            out.add(pool.get(index[i]));
        }
        return out;
    }
}
