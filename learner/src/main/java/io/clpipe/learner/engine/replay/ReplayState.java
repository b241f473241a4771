package io.clpipe.learner.engine.replay;

import io.clpipe.learner.engine.Sample;
import java.util.List;

/**
 * A replay buffer's contents: groups (one for a reservoir, one per class or task for the balanced
 * policies) in the buffer's order.
 */
public record ReplayState(ReplayPolicy policy, int capacity, List<Group> groups) {

    public ReplayState {
        groups = List.copyOf(groups);
    }

    /**
     * @param key     class or task id (0 for a reservoir)
     * @param seen    samples of this group offered so far
     * @param samples samples kept, in buffer order
     */
    public record Group(int key, long seen, List<Sample> samples) {
        public Group {
            samples = List.copyOf(samples);
        }
    }

    public int size() {
        return groups.stream().mapToInt(g -> g.samples().size()).sum();
    }
}
