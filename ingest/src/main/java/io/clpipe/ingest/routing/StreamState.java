package io.clpipe.ingest.routing;

import io.clpipe.ingest.drift.PageHinkleyState;

/**
 * What ingest remembers per stream between records.
 *
 * @param dimension feature dimension fixed by the stream's first valid sample, or null
 * @param lastTask  task of the stream's latest training sample (after drift labelling), or null
 * @param segment   task-free streams: drift segments seen so far (the current one is "segment-N")
 * @param drift     the drift detector's state (task-free streams with detection on)
 */
public record StreamState(Integer dimension, String lastTask, long segment, PageHinkleyState drift) {

    public static final StreamState NEW = new StreamState(null, null, 0, PageHinkleyState.EMPTY);

    public StreamState withDimension(int dim) {
        return new StreamState(dim, lastTask, segment, drift);
    }

    public StreamState withLastTask(String task) {
        return new StreamState(dimension, task, segment, drift);
    }

    public StreamState withDrift(long newSegment, PageHinkleyState newDrift) {
        return new StreamState(dimension, lastTask, newSegment, newDrift);
    }
}
