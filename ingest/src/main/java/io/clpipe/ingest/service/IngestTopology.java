package io.clpipe.ingest.service;

import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.routing.SampleRouter;
import io.clpipe.ingest.routing.StreamStateSerde;
import io.clpipe.ingest.routing.TextChunker;
import io.clpipe.schemas.Topics;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * samples → [validate, split, boundaries, text chunks] → train | eval | dlq, and control for boundary events.
 * Values stay bytes end to end: the DLQ must get the original bytes, and serialising once in the
 * processor avoids a second pass.
 *
 * <p>A record without a key (or with an empty one) is first keyed by its {@code stream} field and
 * goes through a repartition topic that Kafka Streams manages ({@code <application.id>-}{@value
 * #REKEY}{@code -repartition}, inside the exactly-once transactions), so that every stream's records
 * meet its state in one task. Order is kept per source partition (docs/records.md, "Keys").
 */
public final class IngestTopology {

    static final String SOURCE = "samples-source";
    static final String PROCESSOR = "ingest";
    static final String STATE_STORE = "ingest-stream-state";
    static final String TRAIN_SINK = "train-sink";
    static final String EVAL_SINK = "eval-sink";
    static final String DLQ_SINK = "dlq-sink";
    static final String CONTROL_SINK = "control-sink";
    /** Name of the repartition topic of unkeyed records (Streams prefixes the application id). */
    static final String REKEY = "ingest-rekey";

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
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), new StreamStateSerde()));
        KStream<String, byte[]> samples = builder.stream(topics.samples(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(SOURCE));
        Map<String, KStream<String, byte[]>> byKey = samples.split(Named.as("samples-"))
                .branch((key, value) -> key == null || key.isEmpty(), Branched.as("unkeyed"))
                .defaultBranch(Branched.as("keyed"));
        KStream<String, byte[]> rekeyed = byKey.get("samples-unkeyed")
                .process(StreamKeyer::new, Named.as("key-by-stream"))
                .repartition(Repartitioned.<String, byte[]>as(REKEY).withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()));
        byKey.get("samples-keyed").merge(rekeyed, Named.as("keyed-samples"))
                .process(() -> new IngestProcessor(topics.samples(), router, chunker, metrics, clock), Named.as(PROCESSOR), STATE_STORE);
        Topology topology = builder.build();
        topology.addSink(TRAIN_SINK, topics.train(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(EVAL_SINK, topics.eval(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(DLQ_SINK, topics.dlq(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(CONTROL_SINK, topics.control(), new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        return topology;
    }
}
