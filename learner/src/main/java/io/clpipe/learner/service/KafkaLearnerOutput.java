package io.clpipe.learner.service;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.ClientConfig;
import io.clpipe.schemas.SnapshotChunks;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ModelSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Snapshots to the models topic and control events to the control topic, keyed by stream, through
 * one idempotent producer whose requests fit one snapshot chunk ({@code snapshot.chunk.bytes}). A failed
 * send is remembered and raised at the next {@link #flush()}, i.e. before the next checkpoint, so a
 * checkpoint never claims snapshots that did not reach Kafka.
 */
final class KafkaLearnerOutput implements LearnerOutput, AutoCloseable {

    private final Topics topics;
    private final int chunkBytes;
    private final SnapshotListener listener;
    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerde<ModelSnapshot> snapshots = AvroSerde.modelSnapshot();
    private final AvroSerde<ControlEvent> events = AvroSerde.controlEvent();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Callback callback = (metadata, e) -> {
        if (e != null) {
            failure.compareAndSet(null, e);
        }
    };

    /** Told of each snapshot sent and of its acknowledgement (the offset of its last record). */
    interface SnapshotListener {
        void sending();

        void acknowledged(int partition, long offset);

        void failed();

        SnapshotListener NONE = new SnapshotListener() {
            @Override
            public void sending() {
            }

            @Override
            public void acknowledged(int partition, long offset) {
            }

            @Override
            public void failed() {
            }
        };
    }

    KafkaLearnerOutput(Topics topics, Properties clientProperties, int chunkBytes) {
        this(topics, clientProperties, chunkBytes, SnapshotListener.NONE);
    }

    KafkaLearnerOutput(Topics topics, Properties clientProperties, int chunkBytes, SnapshotListener listener) {
        this.topics = topics;
        this.chunkBytes = chunkBytes;
        this.listener = listener;
        ClientConfig c = ClientConfig.of("learner output producer", clientProperties)
                .byDefault(ProducerConfig.ACKS_CONFIG, "all")
                .byDefault(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .byDefault(ProducerConfig.LINGER_MS_CONFIG, 5)
                .byDefault(ProducerConfig.CLIENT_ID_CONFIG, "clpipe-learner-output");
        topics.spec(topics.models()).producerConfigs().forEach(c::force);
        Properties props = c
                .force(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, chunkBytes + SnapshotChunks.RECORD_OVERHEAD_BYTES)
                .force(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
                .force(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())
                .build();
        this.producer = new KafkaProducer<>(props);
    }

    @Override
    public int snapshot(ModelSnapshot snapshot) {
        return snapshot(snapshot, Map.of());
    }

    /**
     * One record when the snapshot fits a chunk, else chunk records and a manifest (docs/records.md). They are
     * sent by this one idempotent producer to the stream's partition in order, so readers see the chunks before
     * their manifest; the learner is not transactional, and a learner killed mid-set leaves chunks without a
     * manifest, which readers refuse once the stream's next record arrives.
     */
    @Override
    public int snapshot(ModelSnapshot snapshot, Map<String, String> headers) {
        byte[] value = snapshots.serialize(snapshot);
        java.util.List<SnapshotChunks.Part> parts = SnapshotChunks.parts(snapshot.getStream(), snapshot.getVersion(), value, headers,
                chunkBytes);
        listener.sending();
        for (int i = 0; i < parts.size(); i++) {
            SnapshotChunks.Part part = parts.get(i);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.models(), snapshot.getStream(), part.value());
            part.headers().forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record, i < parts.size() - 1 ? callback : (metadata, e) -> {
                callback.onCompletion(metadata, e);
                if (e == null) {
                    listener.acknowledged(metadata.partition(), metadata.offset());
                } else {
                    listener.failed();
                }
            });
        }
        return value.length;
    }

    @Override
    public void control(ControlEvent event) {
        producer.send(new ProducerRecord<>(topics.control(), event.getStream(), events.serialize(event)),
                callback);
    }

    @Override
    public void flush() {
        producer.flush();
        Exception e = failure.getAndSet(null);
        if (e != null) {
            throw new KafkaException("a snapshot or control event could not be sent: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
