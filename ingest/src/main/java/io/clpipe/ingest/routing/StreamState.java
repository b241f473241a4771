package io.clpipe.ingest.routing;

import io.clpipe.drift.MonitorState;

/**
 * What ingest remembers per stream between records.
 *
 * @param dimension feature dimension fixed by the stream's first valid sample, or null
 * @param lastTask  task of the stream's latest training sample (after drift labelling), or null
 * @param segment   task-free streams: drift segments seen so far (the current one is "segment-N")
 * @param drift     the drift detectors' state (task-free streams with detection on)
 */
public record StreamState(Integer dimension, String lastTask, long segment, MonitorState drift) {

    public static final StreamState NEW = new StreamState(null, null, 0, MonitorState.EMPTY);

    public StreamState withDimension(int dim) {
        return new StreamState(dim, lastTask, segment, drift);
    }

    public StreamState withLastTask(String task) {
        return new StreamState(dimension, task, segment, drift);
    }

    public StreamState withDrift(long newSegment, MonitorState newDrift) {
        return new StreamState(dimension, lastTask, newSegment, newDrift);
    }
}
