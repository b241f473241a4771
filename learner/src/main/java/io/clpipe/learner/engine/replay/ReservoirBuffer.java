package io.clpipe.learner.engine.replay;

import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.engine.Xoshiro256;
import java.util.ArrayList;
import java.util.List;

/** Reservoir sampling: after n offers each of them is in the buffer with probability capacity/n. */
public final class ReservoirBuffer implements ReplayBuffer {

    private final int capacity;
    private final List<Sample> samples;
    private long seen;

    public ReservoirBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.samples = new ArrayList<>(Math.min(capacity, 1 << 16));
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int size() {
        return samples.size();
    }

    @Override
    public Sample get(int i) {
        return samples.get(i);
    }

    public long seen() {
        return seen;
    }

    @Override
    public void add(Sample sample, Xoshiro256 rng) {
        seen++;
        if (samples.size() < capacity) {
            samples.add(sample);
            return;
        }
        long j = rng.nextLong(seen);
        if (j < capacity) {
            samples.set((int) j, sample);
        }
    }

    @Override
    public ReplayState state() {
        return new ReplayState(ReplayPolicy.RESERVOIR, capacity, List.of(new ReplayState.Group(0, seen, samples)));
    }

    @Override
    public void restore(ReplayState state) {
        if (state.policy() != ReplayPolicy.RESERVOIR || state.capacity() != capacity || state.groups().size() != 1
                || state.size() > capacity) {
            throw new IllegalArgumentException("state of a " + state.policy() + " buffer of capacity "
                    + state.capacity() + " does not fit a reservoir of capacity " + capacity);
        }
        ReplayState.Group g = state.groups().get(0);
        samples.clear();
        samples.addAll(g.samples());
        seen = g.seen();
    }
}
