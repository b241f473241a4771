package io.clpipe.learner.engine.replay;

import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.engine.Xoshiro256;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Equal shares of the capacity per group (class label or task id), each share a reservoir sample
 * of its group. When a new group appears the older groups' shares shrink; a group over its share
 * gives up a random sample only when room is needed, so the memory is always used in full.
 */
public final class BalancedBuffer implements ReplayBuffer {

    private final ReplayPolicy policy;
    private final ToIntFunction<Sample> key;
    private final int capacity;
    private final List<Group> groups = new ArrayList<>();
    private int size;

    private static final class Group {
        final int key;
        final List<Sample> samples = new ArrayList<>();
        long seen;

        Group(int key) {
            this.key = key;
        }
    }

    private BalancedBuffer(ReplayPolicy policy, ToIntFunction<Sample> key, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.policy = policy;
        this.key = key;
        this.capacity = capacity;
    }

    public static BalancedBuffer classBalanced(int capacity) {
        return new BalancedBuffer(ReplayPolicy.CLASS_BALANCED, Sample::label, capacity);
    }

    public static BalancedBuffer taskBalanced(int capacity) {
        return new BalancedBuffer(ReplayPolicy.TASK_BALANCED, Sample::task, capacity);
    }

    /**
     * Task-balanced storage from which a batch replays only other tasks' samples ({@link ReplayPolicy#PAST}).
     * Balanced rather than one reservoir over the stream: a long current task would otherwise push the
     * past tasks' samples out of a reservoir, shrinking exactly the pool this policy draws from.
     */
    public static BalancedBuffer pastTasks(int capacity) {
        return new BalancedBuffer(ReplayPolicy.PAST, Sample::task, capacity);
    }

    @Override
    public int replayableCount(int[] current, int currentCount) {
        if (policy != ReplayPolicy.PAST) {
            return size;
        }
        int n = 0;
        for (Group g : groups) {
            if (!contains(current, currentCount, g.key)) {
                n += g.samples.size();
            }
        }
        return n;
    }

    @Override
    public Sample replayable(int i, int[] current, int currentCount) {
        if (policy != ReplayPolicy.PAST) {
            return get(i);
        }
        int rest = i;
        for (Group g : groups) {
            if (contains(current, currentCount, g.key)) {
                continue;
            }
            if (rest < g.samples.size()) {
                return g.samples.get(rest);
            }
            rest -= g.samples.size();
        }
        throw new IndexOutOfBoundsException("replayable index " + i);
    }

    private static boolean contains(int[] keys, int count, int key) {
        for (int i = 0; i < count; i++) {
            if (keys[i] == key) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public int size() {
        return size;
    }

    /** Number of groups (classes or tasks) seen. */
    public int groupCount() {
        return groups.size();
    }

    /** Samples kept for group {@code groupKey} (0 if never seen). */
    public int groupSize(int groupKey) {
        for (Group g : groups) {
            if (g.key == groupKey) {
                return g.samples.size();
            }
        }
        return 0;
    }

    @Override
    public Sample get(int i) {
        int rest = i;
        for (Group g : groups) {
            if (rest < g.samples.size()) {
                return g.samples.get(rest);
            }
            rest -= g.samples.size();
        }
        throw new IndexOutOfBoundsException("index " + i + " of " + size);
    }

    @Override
    public void add(Sample sample, Xoshiro256 rng) {
        Group group = groupOf(key.applyAsInt(sample));
        group.seen++;
        if (group.samples.size() < share(groups.indexOf(group))) {
            if (size == capacity) {
                evictFromLargestExcess(rng);
            }
            group.samples.add(sample);
            size++;
            return;
        }
        long j = rng.nextLong(group.seen);
        if (j < group.samples.size()) {
            group.samples.set((int) j, sample);
        }
    }

    private Group groupOf(int k) {
        for (Group g : groups) {
            if (g.key == k) {
                return g;
            }
        }
        Group g = new Group(k);
        groups.add(g);
        return g;
    }

    /** Capacity share of the group at {@code index}: capacity/G, the remainder to the oldest groups. */
    private int share(int index) {
        int g = groups.size();
        return capacity / g + (index < capacity % g ? 1 : 0);
    }

    private void evictFromLargestExcess(Xoshiro256 rng) {
        Group victim = null;
        int worst = 0;
        for (int i = 0; i < groups.size(); i++) {
            int excess = groups.get(i).samples.size() - share(i);
            if (excess > worst) {
                worst = excess;
                victim = groups.get(i);
            }
        }
        if (victim == null) {
            throw new IllegalStateException("full balanced buffer without a group over its share");
        }
        // Removing a uniformly chosen element keeps the rest a uniform sample of the group.
        int last = victim.samples.size() - 1;
        int j = rng.nextInt(last + 1);
        victim.samples.set(j, victim.samples.get(last));
        victim.samples.remove(last);
        size--;
    }

    @Override
    public ReplayState state() {
        List<ReplayState.Group> out = new ArrayList<>(groups.size());
        for (Group g : groups) {
            out.add(new ReplayState.Group(g.key, g.seen, g.samples));
        }
        return new ReplayState(policy, capacity, out);
    }

    @Override
    public void restore(ReplayState state) {
        if (state.policy() != policy || state.capacity() != capacity || state.size() > capacity) {
            throw new IllegalArgumentException("state of a " + state.policy() + " buffer of capacity "
                    + state.capacity() + " does not fit a " + policy + " buffer of capacity " + capacity);
        }
        groups.clear();
        for (ReplayState.Group g : state.groups()) {
            Group restored = new Group(g.key());
            restored.seen = g.seen();
            restored.samples.addAll(g.samples());
            groups.add(restored);
        }
        size = state.size();
    }
}
