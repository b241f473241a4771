package io.clpipe.learner.engine;

import io.clpipe.learner.engine.replay.ReplayBuffer;
import io.clpipe.learner.engine.replay.ReplayConfig;
import io.clpipe.models.Batch;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a training batch in preallocated arrays: the new samples first, then replayed samples drawn
 * without replacement from a buffer, with optional per-part loss weights.
 */
public final class BatchMixer {

    private final int inputDim;
    private final float[] features;
    private final int[] labels;
    private final float[] weights;
    private final int[] picked;
    private final long[] taken;
    private final int[] freshTasks;
    private final ReplayConfig.LossWeights lossWeights;

    public BatchMixer(int inputDim, int maxRows, int bufferCapacity, ReplayConfig.LossWeights lossWeights) {
        this.inputDim = inputDim;
        this.features = new float[Math.multiplyExact(inputDim, maxRows)];
        this.labels = new int[maxRows];
        this.weights = new float[maxRows];
        this.picked = new int[maxRows];
        this.taken = new long[(Math.max(bufferCapacity, 1) + 63) / 64];
        this.freshTasks = new int[maxRows];
        this.lossWeights = lossWeights;
    }

    /** What {@link #mix} produced. The batch's arrays are reused by the next call. */
    public record Mixed(Batch batch, int fresh, int replayed) {
    }

    /**
     * @param fresh   new samples, all of width {@code inputDim}
     * @param buffer  replay source, or {@code null}
     * @param replay  replayed samples wanted; fewer are taken while the buffer holds fewer (that it
     *                may replay to a batch of the new samples' tasks, see {@link ReplayBuffer#replayableCount})
     */
    public Mixed mix(List<Sample> fresh, ReplayBuffer buffer, int replay, Xoshiro256 rng) {
        int n = fresh.size();
        int tasks = n > freshTasks.length ? 0 : distinctTasks(fresh);
        int replayable = buffer == null ? 0 : buffer.replayableCount(freshTasks, tasks);
        int k = Math.min(replay, replayable);
        if (n + k > labels.length) {
            throw new IllegalArgumentException(n + " new + " + k + " replayed samples exceed the batch capacity "
                    + labels.length);
        }
        for (int i = 0; i < n; i++) {
            put(i, fresh.get(i));
        }
        if (k > 0) {
            pickDistinct(replayable, k, rng);
            for (int i = 0; i < k; i++) {
                put(n + i, buffer.replayable(picked[i], freshTasks, tasks));
            }
        }
        float[] w = null;
        if (lossWeights != null && k > 0 && n > 0) {
            // Per-sample weights whose weighted mean is the weighted sum of the two part means;
            // scaled by the batch size to stay near 1 in float.
            int total = n + k;
            Arrays.fill(weights, 0, n, (float) (total * lossWeights.newWeight() / n));
            Arrays.fill(weights, n, total, (float) (total * lossWeights.replayWeight() / k));
            w = weights;
        }
        return new Mixed(new Batch(features, labels, w, n + k), n, k);
    }

    /** The distinct tasks of {@code fresh} into {@code freshTasks}; returns how many. */
    private int distinctTasks(List<Sample> fresh) {
        int count = 0;
        int last = Integer.MIN_VALUE;
        for (Sample s : fresh) {
            int t = s.task();
            if (t == last) {
                continue;
            }
            last = t;
            boolean known = false;
            for (int i = 0; i < count && !known; i++) {
                known = freshTasks[i] == t;
            }
            if (!known) {
                freshTasks[count++] = t;
            }
        }
        return count;
    }

    private void put(int row, Sample s) {
        if (s.dim() != inputDim) {
            throw new IllegalArgumentException("sample has " + s.dim() + " features, the model takes " + inputDim);
        }
        s.copyFeaturesTo(features, row * inputDim);
        labels[row] = s.label();
    }

    /** Floyd's algorithm: k distinct indices of [0, m), uniformly, with a bitmap instead of a set. */
    private void pickDistinct(int m, int k, Xoshiro256 rng) {
        int count = 0;
        for (int j = m - k; j < m; j++) {
            int t = rng.nextInt(j + 1);
            int chosen = isTaken(t) ? j : t;
            taken[chosen >>> 6] |= 1L << chosen;
            picked[count++] = chosen;
        }
        for (int i = 0; i < k; i++) {
            taken[picked[i] >>> 6] = 0;
        }
    }

    private boolean isTaken(int i) {
        return (taken[i >>> 6] & (1L << i)) != 0;
    }
}
