package io.clpipe.learner.service;

import java.util.Map;

/**
 * The batches of a stream cut by {@code batch.linger.ms} (a partial batch trained because the stream
 * went idle): how many, and the last one's iteration and resume position. A checkpoint is written
 * right after every cut and records it here, so that a restart never forms a different batch at a
 * cut the checkpoints know of (docs/operations.md, "Idle streams and batch.linger.ms"). Loop thread only.
 */
final class LingerCuts {

    private long count;
    private long lastIteration = -1;
    private StreamPosition lastPosition;

    void cut(long iteration, StreamPosition position) {
        count++;
        lastIteration = iteration;
        lastPosition = position;
    }

    long count() {
        return count;
    }

    /** Iteration of the last cut step, −1 before any. */
    long lastIteration() {
        return lastIteration;
    }

    void writeTo(Map<String, String> callerData) {
        callerData.put("linger.cuts", Long.toString(count));
        callerData.put("linger.last.iteration", Long.toString(lastIteration));
        if (lastPosition != null) {
            callerData.put("linger.last.offset", Long.toString(lastPosition.offset()));
            callerData.put("linger.last.unit", Integer.toString(lastPosition.unit()));
        }
    }

    /** From a checkpoint's caller data; checkpoints written before linger cuts existed have none. */
    static LingerCuts fromCallerData(Map<String, String> m) {
        LingerCuts c = new LingerCuts();
        try {
            c.count = Long.parseLong(m.getOrDefault("linger.cuts", "0"));
            c.lastIteration = Long.parseLong(m.getOrDefault("linger.last.iteration", "-1"));
            if (m.containsKey("linger.last.offset")) {
                c.lastPosition = new StreamPosition(Long.parseLong(m.get("linger.last.offset")),
                        Integer.parseInt(m.getOrDefault("linger.last.unit", "0")));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed linger entry in the checkpoint: " + e.getMessage(), e);
        }
        return c;
    }
}
