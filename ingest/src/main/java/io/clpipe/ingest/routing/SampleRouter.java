package io.clpipe.ingest.routing;

import io.clpipe.drift.Detection;
import io.clpipe.drift.DriftMonitor;
import io.clpipe.drift.FeatureStatistic;
import io.clpipe.schemas.ControlJson;
import io.clpipe.schemas.InvalidSampleException;
import io.clpipe.schemas.RawRecord;
import io.clpipe.schemas.RejectReason;
import io.clpipe.schemas.Rejection;
import io.clpipe.schemas.SampleValidator;
import io.clpipe.schemas.ValidationResult;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest decision for one record, without Kafka: validate, choose train or eval, and notice
 * task boundaries. A boundary is a change of a stream's task between consecutive training samples;
 * in task-free mode with drift detection, a detected shift starts a new segment task
 * ("segment-N"), so that downstream the boundary travels in-band with the samples themselves.
 *
 * <p>Task-free segmentation: every valid sample of a stream without a task field, train and eval
 * alike, in stream order, goes through the stream's {@link DriftMonitor} (label and feature tests);
 * when it reports a change, that sample and all later ones of the stream carry the next segment's
 * name and one DRIFT_DETECTED event goes to the control topic. A stream has at most
 * {@code drift.max.segments} segments; later detections are logged and dropped.
 * A user's task-start record ({@link ControlJson}) starts a segment too, at the exact position it was
 * produced at: the stream's later samples that name no task get the user's task.
 */
public final class SampleRouter {

    private static final Logger log = LoggerFactory.getLogger(SampleRouter.class);

    private final RoutingConfig config;
    private final SampleValidator validator;
    private final FeatureStatistic statistic;

    public SampleRouter(RoutingConfig config) {
        this(config, new io.clpipe.schemas.SampleDecoder());
    }

    public SampleRouter(RoutingConfig config, io.clpipe.schemas.SampleDecoder decoder) {
        this.config = config;
        this.validator = new SampleValidator(config.validation(), decoder);
        this.statistic = DriftMonitor.statisticOf(config.drift());
    }

    public Routing route(RawRecord record, StreamState state, long now) {
        ValidationResult result = validator.validate(record,
                stream -> state.dimension() == null ? OptionalInt.empty() : OptionalInt.of(state.dimension()), now);
        if (result instanceof Rejection rejection) {
            // A sample always has features or text; a record with neither may be a user's control record.
            if (rejection.reason() == RejectReason.NO_FEATURES_OR_TEXT && ControlJson.maybeJson(record.value())) {
                return control(record, state, now).orElse(new Routing.Rejected(rejection, state));
            }
            return new Routing.Rejected(rejection, state);
        }
        ValidationResult.Valid valid = (ValidationResult.Valid) result;
        Sample sample = valid.sample();
        StreamState next = valid.learnedDimension().isPresent() ? state.withDimension(valid.learnedDimension().getAsInt()) : state;
        boolean eval = isEval(sample);
        List<ControlEvent> events = new ArrayList<>(1);
        if (sample.getTask() == null && config.driftDetection()) {
            next = labelSegment(sample, next, events, now);
        } else if (sample.getTask() == null && next.userTask() != null) {
            sample.setTask(next.userTask());
        }
        if (!eval && sample.getTask() != null && !sample.getTask().equals(next.lastTask())) {
            events.add(event(sample.getStream(), ControlType.TASK_START, sample.getTask(), next.lastTask(),
                    next.lastTask() == null ? "first task of the stream" : "task changed", now));
            next = next.withLastTask(sample.getTask());
        }
        return new Routing.Accepted(sample, eval, List.copyOf(events), next);
    }

    private boolean isEval(Sample sample) {
        if (sample.getSplit() != null) {
            return sample.getSplit() == Split.EVAL;
        }
        int bucket = Utils.toPositive(Utils.murmur2(sample.getSampleId().getBytes(StandardCharsets.UTF_8))) % 1000;
        return bucket < config.evalPerMille();
    }

    private StreamState labelSegment(Sample sample, StreamState state, List<ControlEvent> events, long now) {
        DriftMonitor monitor = new DriftMonitor(config.drift(), statistic, state.drift());
        Optional<Detection> found = monitor.observe(sample.getLabel(), sample.getFeatures(), sample.getText());
        long segment = state.segment();
        if (found.isPresent()) {
            Detection d = found.get();
            if (segment + 1 < config.drift().maxSegments()) {
                segment++;
                events.add(event(sample.getStream(), ControlType.DRIFT_DETECTED, segmentTask(segment), segmentTask(state.segment()),
                        reason(d, sample), now));
            } else {
                log.warn("Stream {}: drift detected at sample {} ({}) but the stream already has {} segments (drift.max.segments); "
                        + "staying in {}", sample.getStream(), d.position(), d.detail(), segment + 1, segmentTask(segment));
            }
        }
        StreamState next = state.withDrift(segment, monitor.state());
        sample.setTask(next.userTask() != null ? next.userTask() : segmentTask(segment));
        return next;
    }

    /** "drift on SIGNAL: DETAIL at sample N of the stream (ID)"; N counts every valid sample of the stream from 1. */
    static String reason(Detection d, Sample sample) {
        return "drift on " + d.signal().propertyName() + ": " + d.detail() + " at sample " + d.position() + " of the stream ("
                + sample.getSampleId() + ")";
    }

    /**
     * A user's control record: a task-start starts a new segment named by it (or "segment-N") and
     * is announced at once; a record that is no control record is empty (the sample's rejection stands).
     */
    private Optional<Routing> control(RawRecord record, StreamState state, long now) {
        ControlEvent request;
        try {
            Optional<ControlEvent> parsed = ControlJson.parse(record.value(), record.key(), now);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            request = parsed.get();
        } catch (InvalidSampleException e) {
            return Optional.of(new Routing.Rejected(e.rejection(), state));
        }
        if (request.getType() != ControlType.TASK_START) {
            return Optional.of(new Routing.Rejected(new Rejection(RejectReason.BAD_CONTROL, "control",
                    "only a task-start goes to the samples topic; produce an anneal request to the control topic "
                            + "(clpipe control anneal)"), state));
        }
        if (request.getTask() != null && request.getTask().equals(state.userTask()) && request.getTask().equals(state.lastTask())) {
            return Optional.of(new Routing.Controlled(List.of(), state)); // the current task again: a retry changes nothing
        }
        long segment = state.segment() + 1;
        String task = request.getTask() != null ? request.getTask() : segmentTask(segment);
        StreamState next = state.withUserTask(segment, task);
        List<ControlEvent> events = new ArrayList<>(1);
        if (!task.equals(state.lastTask())) {
            ControlEvent event = event(request.getStream(), ControlType.TASK_START, task, state.lastTask(),
                    request.getReason() == null ? "user task-start" : request.getReason(), now);
            event.setSource("user");
            events.add(event);
            next = next.withLastTask(task);
        }
        return Optional.of(new Routing.Controlled(List.copyOf(events), next));
    }

    static String segmentTask(long segment) {
        return "segment-" + segment;
    }

    private static ControlEvent event(String stream, ControlType type, String task, String previous, String reason, long now) {
        return ControlEvent.newBuilder()
                .setStream(stream)
                .setType(type)
                .setTask(task)
                .setPreviousTask(previous)
                .setReason(reason)
                .setSource("ingest")
                .setTimestamp(now)
                .build();
    }
}
