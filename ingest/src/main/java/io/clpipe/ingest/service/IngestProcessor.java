package io.clpipe.ingest.service;

import io.clpipe.ingest.routing.Routing;
import io.clpipe.ingest.routing.SampleRouter;
import io.clpipe.ingest.routing.StreamState;
import io.clpipe.ingest.routing.TextChunker;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.DlqHeaders;
import io.clpipe.schemas.RawRecord;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.Sample;
import java.time.Clock;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/** Routes each raw sample record to the train, eval or dead-letter sink, and boundary events to control. */
final class IngestProcessor implements Processor<String, byte[], String, byte[]> {

    private final String samplesTopic;
    private final SampleRouter router;
    private final TextChunker chunker;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final AvroSerde<Sample> samples = AvroSerde.sample();
    private final AvroSerde<ControlEvent> controls = AvroSerde.controlEvent();
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, StreamState> states;

    IngestProcessor(String samplesTopic, SampleRouter router, TextChunker chunker, IngestMetrics metrics, Clock clock) {
        this.samplesTopic = samplesTopic;
        this.router = router;
        this.chunker = chunker;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.states = context.getStateStore(IngestTopology.STATE_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        // Keep the producer's own headers (tracing ids…) for the DLQ, without the re-keying's.
        Headers headers = new RecordHeaders(record.headers().toArray());
        RawRecord raw = StreamKeyer.original(record, meta, headers, !meta.topic().equals(samplesTopic));
        // The key names the stream: the user's, or the stream field's for a record re-keyed by StreamKeyer.
        // An accepted sample's stream is this key (the validator refuses a key that contradicts it).
        String stream = record.key() == null ? "" : record.key();
        StreamState state = states.get(stream);
        Routing routing = router.route(raw, state == null ? StreamState.NEW : state, clock.millis());
        if (routing instanceof Routing.Rejected rejected) {
            metrics.rejected(rejected.rejection().reason());
            DlqHeaders.of(rejected.rejection(), raw).forEach(headers::add);
            context.forward(new Record<>(raw.key(), record.value(), record.timestamp(), headers), IngestTopology.DLQ_SINK);
            return;
        }
        if (routing instanceof Routing.Controlled controlled) {
            announce(stream, controlled.events(), record.timestamp());
            states.put(stream, controlled.state());
            return;
        }
        Routing.Accepted accepted = (Routing.Accepted) routing;
        Sample sample = accepted.sample();
        announce(stream, accepted.events(), record.timestamp());
        // a long text is cut after the split was chosen: all pieces of a document land on the same side
        for (Sample piece : chunker.chunks(sample)) {
            context.forward(new Record<>(stream, samples.serialize(piece), record.timestamp()),
                    accepted.eval() ? IngestTopology.EVAL_SINK : IngestTopology.TRAIN_SINK);
        }
        metrics.accepted(accepted.eval());
        if (!accepted.state().equals(state)) {
            states.put(stream, accepted.state());
        }
    }

    private void announce(String stream, java.util.List<ControlEvent> events, long timestamp) {
        for (ControlEvent event : events) {
            metrics.event(event.getType());
            context.forward(new Record<>(stream, controls.serialize(event), timestamp), IngestTopology.CONTROL_SINK);
        }
    }
}
