package io.clpipe.app.reproduce;

import io.clpipe.ingest.routing.Routing;
import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.routing.SampleRouter;
import io.clpipe.ingest.routing.StreamState;
import io.clpipe.ingest.source.SampleSource;
import io.clpipe.schemas.SampleJson;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ingest's decision for every sample of a labelled scenario, in stream order, with the task field
 * taken away first: the same {@link SampleRouter} the Streams app runs, on the same JSON bytes the
 * producer sends, so its detections are those the pipeline makes. Remembers the true task of each
 * position to score them.
 */
final class DriftScan {

    private static final Pattern SIGNAL = Pattern.compile("^drift on (\\w+):");

    private DriftScan() {
    }

    /** Strips the task of a scenario sample (what the producer sends). */
    static Sample taskFree(Sample s) {
        s.setTask(null);
        return s;
    }

    static DriftScore run(SampleSource labelled, RoutingConfig routing, String stream) {
        SampleRouter router = new SampleRouter(routing);
        StreamState state = StreamState.NEW;
        List<String> tasks = new ArrayList<>();
        List<Long> switchAt = new ArrayList<>();
        List<DriftScore.Detected> detections = new ArrayList<>();
        long position = 0;
        while (labelled.hasNext()) {
            Sample s = labelled.next();
            String task = s.getTask();
            if (tasks.isEmpty() || !tasks.get(tasks.size() - 1).equals(task)) {
                if (!tasks.isEmpty()) {
                    switchAt.add(position);
                }
                tasks.add(task);
            }
            byte[] json = SampleJson.write(taskFree(s));
            Routing r = router.route(new io.clpipe.schemas.RawRecord("scan", 0, position, stream, json), state, 0);
            if (r instanceof Routing.Rejected rejected) {
                throw new IllegalStateException("ingest rejected scenario sample " + position + ": " + rejected.rejection().reason());
            }
            Routing.Accepted accepted = (Routing.Accepted) r;
            for (ControlEvent e : accepted.events()) {
                if (e.getType() == ControlType.DRIFT_DETECTED) {
                    Matcher m = SIGNAL.matcher(e.getReason());
                    detections.add(new DriftScore.Detected(position, m.find() ? m.group(1) : "?"));
                }
            }
            state = accepted.state();
            position++;
        }
        return DriftScore.of(tasks, switchAt, detections);
    }
}
