package io.clpipe.ingest.routing;

import io.clpipe.drift.MonitorState;

/**
 * What ingest remembers per stream between records.
 *
 * @param dimension feature dimension fixed by the stream's first valid sample, or null
 * @param lastTask  task of the stream's latest training sample (after drift labelling), or null
 * @param segment   task-free streams: drift segments seen so far (the current one is "segment-N")
 * @param drift     the drift detectors' state (task-free streams with detection on)
 * @param userTask  the task of the stream's latest user task-start, given to its later samples that name
 *                  none (until a detected drift starts a new segment); null before any
 */
public record StreamState(Integer dimension, String lastTask, long segment, MonitorState drift, String userTask) {

    public static final StreamState NEW = new StreamState(null, null, 0, MonitorState.EMPTY, null);

    public StreamState withDimension(int dim) {
        return new StreamState(dim, lastTask, segment, drift, userTask);
    }

    public StreamState withLastTask(String task) {
        return new StreamState(dimension, task, segment, drift, userTask);
    }

    /** A detected drift or a new detector state; a new segment ends the user's task. */
    public StreamState withDrift(long newSegment, MonitorState newDrift) {
        return new StreamState(dimension, lastTask, newSegment, newDrift, newSegment == segment ? userTask : null);
    }

    /** A user task-start: a new segment named {@code task}, its detectors fresh. */
    public StreamState withUserTask(long newSegment, String task) {
        return new StreamState(dimension, lastTask, newSegment, MonitorState.EMPTY, task);
    }
}
