package io.clpipe.evaluator.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stability gaps: at each boundary, one open gap per old task with a score before it; each open gap
 * follows its task's scores until the next boundary closes it. Closed gaps are kept up to a fixed
 * history, so memory stays bounded even when tasks recur forever.
 */
final class GapTracker {

    // Scores exactly at the tolerance edge count as recovered despite binary rounding (0.9 − 0.01).
    private static final double EDGE = 1e-12;

    private final Direction direction;
    private final double tolerance;
    private final int history;
    private final Map<String, OpenGap> open = new LinkedHashMap<>();
    private final Deque<StabilityGap> closed = new ArrayDeque<>();

    GapTracker(Direction direction, double tolerance, int history) {
        this.direction = direction;
        this.tolerance = tolerance;
        this.history = history;
    }

    /** Closes the open gaps and opens one per old task; {@code oldTasks} must have a latest score. */
    void boundary(long iteration, List<TaskState> oldTasks) {
        for (OpenGap gap : open.values()) {
            closed.addLast(gap.toRecord(false));
            if (closed.size() > history) {
                closed.removeFirst();
            }
        }
        open.clear();
        for (TaskState task : oldTasks) {
            open.put(task.id, new OpenGap(iteration, task.id, task.latest, task.latestIteration));
        }
    }

    void observe(String task, long iteration, double score) {
        OpenGap gap = open.get(task);
        if (gap != null) {
            gap.observe(iteration, score);
        }
    }

    /** The boundary of the open gaps (all open gaps share it), or −1 when none is open. */
    long openBoundary() {
        return open.isEmpty() ? -1 : open.values().iterator().next().boundary;
    }

    /** Retained closed gaps, oldest first, then the open ones. */
    List<StabilityGap> gaps() {
        List<StabilityGap> out = new ArrayList<>(closed.size() + open.size());
        out.addAll(closed);
        for (OpenGap gap : open.values()) {
            out.add(gap.toRecord(true));
        }
        return out;
    }

    List<EngineState.OpenGap> exportOpen() {
        List<EngineState.OpenGap> out = new ArrayList<>(open.size());
        for (OpenGap g : open.values()) {
            out.add(new EngineState.OpenGap(g.boundary, g.task, g.before, g.beforeIteration, g.worst, g.worstIteration,
                    g.left, g.recoveredAt));
        }
        return out;
    }

    List<StabilityGap> exportClosed() {
        return new ArrayList<>(closed);
    }

    void restore(List<EngineState.OpenGap> openGaps, List<StabilityGap> closedGaps) {
        open.clear();
        closed.clear();
        for (EngineState.OpenGap g : openGaps) {
            OpenGap gap = new OpenGap(g.boundaryIteration(), g.task(), g.before(), g.beforeIteration());
            gap.worst = g.worst();
            gap.worstIteration = g.worstIteration();
            gap.left = g.left();
            gap.recoveredAt = g.recoveredAt();
            open.put(gap.task, gap);
        }
        closed.addAll(closedGaps.subList(Math.max(0, closedGaps.size() - history), closedGaps.size()));
    }

    int openCount() {
        return open.size();
    }

    int closedCount() {
        return closed.size();
    }

    private final class OpenGap {
        final long boundary;
        final String task;
        final double before;
        final long beforeIteration;
        Double worst;
        Long worstIteration;
        boolean left;
        Long recoveredAt;

        OpenGap(long boundary, String task, double before, long beforeIteration) {
            this.boundary = boundary;
            this.task = task;
            this.before = before;
            this.beforeIteration = beforeIteration;
        }

        void observe(long iteration, double score) {
            if (worst == null || direction.goodness(score) < direction.goodness(worst)) {
                worst = score;
                worstIteration = iteration;
            }
            boolean within = direction.drop(before, score) <= tolerance + EDGE;
            if (!within) {
                left = true;
            } else if (left && recoveredAt == null) {
                recoveredAt = iteration;
            }
        }

        StabilityGap toRecord(boolean isOpen) {
            Double depth = worst == null ? null : direction.drop(before, worst);
            Long recovery;
            if (worst == null) {
                recovery = null;
            } else if (!left) {
                recovery = 0L;
            } else {
                recovery = recoveredAt == null ? null : recoveredAt - boundary;
            }
            return new StabilityGap(boundary, task, before, beforeIteration, worst, worstIteration, depth, recovery,
                    isOpen);
        }
    }
}
