package io.clpipe.app.demo;

import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.avro.IterationMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the metrics topic (committed records only) the way a user would, keeping every line of
 * one stream: the demo's report is built from exactly what went over the topic.
 */
final class MetricsTail implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String stream;
    private final List<byte[]> lines = new ArrayList<>();
    private final List<IterationMetrics> records = new ArrayList<>();
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile RuntimeException failure;

    MetricsTail(String bootstrapServers, String topic, String stream) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "clpipe-demo-report");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.stream = stream;
        consumer.subscribe(List.of(topic));
        this.thread = new Thread(this::run, "clpipe-demo-metrics-tail");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (stream.equals(r.key())) {
                        IterationMetrics m = MetricsJson.parse(r.value());
                        synchronized (this) {
                            lines.add(r.value());
                            records.add(m);
                        }
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    synchronized IterationMetrics latest() {
        return records.isEmpty() ? null : records.get(records.size() - 1);
    }

    synchronized List<IterationMetrics> records() {
        return List.copyOf(records);
    }

    synchronized List<byte[]> lines() {
        return List.copyOf(lines);
    }

    void checkHealthy() {
        if (failure != null) {
            throw new IllegalStateException("reading the metrics topic failed: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(10_000);
    }
}
