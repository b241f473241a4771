package io.clpipe.ingest.produce;

import io.clpipe.ingest.source.SampleSource;
import io.clpipe.schemas.avro.Sample;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every sample of a source to a topic, keyed by stream, in source order, and waits until the
 * broker acknowledged all of them. The first send failure stops the run with that error: nothing is
 * dropped silently.
 */
public final class SampleProducer {

    private static final Logger log = LoggerFactory.getLogger(SampleProducer.class);
    private static final long PROGRESS_EVERY = 512;

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Function<Sample, byte[]> encoder;

    public SampleProducer(Producer<String, byte[]> producer, String topic, Function<Sample, byte[]> encoder) {
        this.producer = producer;
        this.topic = topic;
        this.encoder = encoder;
    }

    public ProduceResult produce(SampleSource source, ProduceProgress progress) {
        long start = System.nanoTime();
        long total = source.size().orElse(-1);
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        long bytes = 0;
        while (source.hasNext()) {
            Exception error = failure.get();
            if (error != null) {
                break;
            }
            Sample sample = source.next();
            byte[] value = encoder.apply(sample);
            bytes += value.length;
            producer.send(new ProducerRecord<>(topic, sample.getStream(), value), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    acked.incrementAndGet();
                }
            });
            sent++;
            if (sent % PROGRESS_EVERY == 0) {
                progress.update(sent, acked.get(), total);
            }
        }
        producer.flush();
        progress.update(sent, acked.get(), total);
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("producing to " + topic + " failed after " + acked.get()
                    + " acknowledged records: " + error.getMessage(), error);
        }
        ProduceResult result = new ProduceResult(acked.get(), bytes, System.nanoTime() - start);
        log.info("Produced {} records ({} bytes) of {} to {} at {} rec/s", result.records(), bytes,
                source.description(), topic, Math.round(result.recordsPerSecond()));
        return result;
    }
}
