package io.clpipe.learner.engine.replay;

import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.engine.Xoshiro256;

/**
 * A bounded memory of past samples (a storage policy in Avalanche's terms): which samples are kept
 * is the policy's job, how many are replayed per batch is the learner's.
 */
public interface ReplayBuffer {

    int capacity();

    int size();

    /** Sample {@code i} in a stable order, 0 <= i < size(). */
    Sample get(int i);

    /**
     * Samples a batch of the tasks {@code current[0 .. currentCount)} may replay. Every sample by
     * default; {@link ReplayPolicy#PAST} leaves out those tasks' own samples.
     */
    default int replayableCount(int[] current, int currentCount) {
        return size();
    }

    /** Replayable sample {@code i} in a stable order, 0 <= i < replayableCount(current, currentCount). */
    default Sample replayable(int i, int[] current, int currentCount) {
        return get(i);
    }

    /** Offers a sample from the stream; the policy keeps it, replaces another with it, or drops it. */
    void add(Sample sample, Xoshiro256 rng);

    /** The buffer's contents and counters, for checkpoints. */
    ReplayState state();

    /** Replaces the contents with a state taken from a buffer of the same policy. */
    void restore(ReplayState state);
}
