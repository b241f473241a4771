package io.clpipe.bench.learner;

import io.clpipe.datasets.LabeledImages;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.avro.Sample;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Puts images on the training topic as ingest writes them: Avro samples of one stream, lz4-compressed,
 * 256 KiB batches. Not in transactions (ingest's are): back-to-back transactions of one producer met
 * CONCURRENT_TRANSACTIONS and then OUT_OF_ORDER_SEQUENCE_NUMBER retries on the 4.3 broker here, and a
 * read_committed consumer reads committed and non-transactional records alike.
 */
final class TrainTopicFill {

    /** What was written. */
    record Filled(int records, long avroBytes, double seconds) {
    }

    private TrainTopicFill() {
    }

    static Filled fill(String bootstrapServers, String topic, String stream, LabeledImages images, int count) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        AvroSerde<Sample> serde = AvroSerde.sample();
        long start = System.nanoTime();
        long bytes = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                byte[] value = serde.serialize(Sample.newBuilder().setStream(stream).setFeatures(Features.of(images.image(i)))
                        .setLabel(images.labels()[i]).setSampleId("mnist-train:" + i).build());
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, stream, value));
            }
            producer.flush();
        }
        return new Filled(count, bytes, (System.nanoTime() - start) / 1e9);
    }
}
