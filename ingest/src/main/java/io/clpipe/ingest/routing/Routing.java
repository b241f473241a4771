package io.clpipe.ingest.routing;

import io.clpipe.schemas.Rejection;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.Sample;
import java.util.List;

/** Where one raw record goes, and the stream's state afterwards. */
public sealed interface Routing {

    StreamState state();

    /** A valid sample for the train or eval topic, plus any boundary events it caused. */
    record Accepted(Sample sample, boolean eval, List<ControlEvent> events, StreamState state) implements Routing {
    }

    /** A user's task-start (docs/records.md, "Control events"): applied to the stream's state, announced on the control topic. */
    record Controlled(List<ControlEvent> events, StreamState state) implements Routing {
    }

    /** An invalid record: its bytes go to the dead-letter topic untouched. */
    record Rejected(Rejection rejection, StreamState state) implements Routing {
    }
}
