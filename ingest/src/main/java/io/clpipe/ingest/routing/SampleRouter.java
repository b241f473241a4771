package io.clpipe.ingest.routing;

import io.clpipe.ingest.drift.PageHinkley;
import io.clpipe.schemas.RawRecord;
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
import java.util.OptionalInt;
import org.apache.kafka.common.utils.Utils;

/**
 * The ingest decision for one record, without Kafka: validate, choose train or eval, and notice
 * task boundaries. A boundary is a change of a stream's task between consecutive training samples;
 * in task-free mode with drift detection, a detected shift starts a new segment task
 * ("segment-N"), so that downstream the boundary travels in-band with the samples themselves.
 */
public final class SampleRouter {

    private final RoutingConfig config;
    private final SampleValidator validator;

    public SampleRouter(RoutingConfig config) {
        this(config, new io.clpipe.schemas.SampleDecoder());
    }

    public SampleRouter(RoutingConfig config, io.clpipe.schemas.SampleDecoder decoder) {
        this.config = config;
        this.validator = new SampleValidator(config.validation(), decoder);
    }

    public Routing route(RawRecord record, StreamState state, long now) {
        ValidationResult result = validator.validate(record,
                stream -> state.dimension() == null ? OptionalInt.empty() : OptionalInt.of(state.dimension()), now);
        if (result instanceof Rejection rejection) {
            return new Routing.Rejected(rejection, state);
        }
        ValidationResult.Valid valid = (ValidationResult.Valid) result;
        Sample sample = valid.sample();
        StreamState next = valid.learnedDimension().isPresent() ? state.withDimension(valid.learnedDimension().getAsInt()) : state;
        boolean eval = isEval(sample);
        List<ControlEvent> events = new ArrayList<>(1);
        if (sample.getTask() == null && config.driftDetection()) {
            next = labelSegment(sample, eval, next, events, now);
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

    private StreamState labelSegment(Sample sample, boolean eval, StreamState state, List<ControlEvent> events, long now) {
        StreamState next = state;
        if (!eval && sample.getLabel() != null) {
            PageHinkley detector = new PageHinkley(config.drift(), state.drift());
            boolean drift = detector.add(sample.getLabel());
            long segment = drift ? state.segment() + 1 : state.segment();
            next = state.withDrift(segment, detector.state());
            if (drift) {
                events.add(event(sample.getStream(), ControlType.DRIFT_DETECTED, segmentTask(segment), segmentTask(state.segment()),
                        "Page-Hinkley detected a shift of the label mean", now));
            }
        }
        sample.setTask(segmentTask(next.segment()));
        return next;
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
