package io.clpipe.learner.service;

import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ModelSnapshot;

/** Where a stream's learner sends what it produces: snapshots and control events. */
interface LearnerOutput {

    /** Sends a snapshot (asynchronously); returns its serialized size in bytes. */
    int snapshot(ModelSnapshot snapshot);

    /**
     * Sends a snapshot with record headers (UTF-8 values, e.g. {@link io.clpipe.schemas.SnapshotHeaders}
     * prequential figures); outputs that keep no headers send the snapshot alone.
     */
    default int snapshot(ModelSnapshot snapshot, java.util.Map<String, String> headers) {
        return snapshot(snapshot);
    }

    void control(ControlEvent event);

    /** Blocks until everything sent so far is acknowledged; called before each checkpoint. */
    void flush();
}
