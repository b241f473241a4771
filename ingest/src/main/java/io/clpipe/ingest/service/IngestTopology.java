package io.clpipe.ingest.service;

import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.routing.SampleRouter;
import io.clpipe.ingest.routing.StreamStateSerde;
import io.clpipe.ingest.routing.TextChunker;
import io.clpipe.schemas.Topics;
import java.time.Clock;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * samples → [validate, split, boundaries, text chunks] → train | eval | dlq, and control for boundary events.
 * Values stay bytes end to end: the DLQ must get the original bytes, and serialising once in the
 * processor avoids a second pass.
 */
public final class IngestTopology {

    static final String SOURCE = "samples-source";
    static final String PROCESSOR = "ingest";
    static final String STATE_STORE = "ingest-stream-state";
    static final String TRAIN_SINK = "train-sink";
    static final String EVAL_SINK = "eval-sink";
    static final String DLQ_SINK = "dlq-sink";
    static final String CONTROL_SINK = "control-sink";

    private IngestTopology() {
    }

    public static Topology build(Topics topics, RoutingConfig config, IngestMetrics metrics, Clock clock) {
        return build(topics, config, new io.clpipe.schemas.SampleDecoder(), metrics, clock);
    }

    /** @param decoder reads the samples topic's values (with a schema registry client when configured) */
    public static Topology build(Topics topics, RoutingConfig config, io.clpipe.schemas.SampleDecoder decoder, IngestMetrics metrics,
                                 Clock clock) {
        SampleRouter router = new SampleRouter(config, decoder);
        TextChunker chunker = new TextChunker(config.textChunkBytes());
        Topology topology = new Topology();
        topology.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), topics.samples());
        topology.addProcessor(PROCESSOR, () -> new IngestProcessor(router, chunker, metrics, clock), SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), new StreamStateSerde()), PROCESSOR);
        topology.addSink(TRAIN_SINK, topics.train(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(EVAL_SINK, topics.eval(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(DLQ_SINK, topics.dlq(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(CONTROL_SINK, topics.control(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        return topology;
    }
}
