package io.clpipe.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Exports {@code clpipe.kafka.consumer.lag} (tags {@code client.id}, {@code topic}, {@code partition}):
 * how many records each Kafka consumer of this JVM is behind the end of each assigned partition.
 *
 * <p>The services create their consumers inside their own loops, out of reach of Micrometer's
 * {@code KafkaClientMetrics}, which needs the consumer object. Every Kafka client registers its
 * metrics in JMX (the default {@code JmxReporter}), so the per-partition {@code records-lag} is read
 * from there; the set of partitions is refreshed every few seconds, following rebalances. A client
 * configured with its own {@code metric.reporters} list that leaves out {@code JmxReporter} is not seen.
 */
final class KafkaConsumerLagMetrics implements MeterBinder, AutoCloseable {

    static final String NAME = "clpipe.kafka.consumer.lag";
    private static final ObjectName PARTITION_METRICS = objectName(
            "kafka.consumer:type=consumer-fetch-manager-metrics,client-id=*,topic=*,partition=*");

    private final MBeanServer server;
    private final long refreshMillis;
    private ScheduledExecutorService refresher;
    private MultiGauge lag;

    KafkaConsumerLagMetrics() {
        this(ManagementFactory.getPlatformMBeanServer(), 5_000);
    }

    KafkaConsumerLagMetrics(MBeanServer server, long refreshMillis) {
        this.server = server;
        this.refreshMillis = refreshMillis;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        lag = MultiGauge.builder(NAME)
                .description("Records a Kafka consumer is behind the end of an assigned partition (Kafka's records-lag)")
                .register(registry);
        refresh();
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "clpipe-consumer-lag");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refresh, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
    }

    /** Re-reads which consumer partitions exist; the gauges read their lag when scraped. */
    synchronized void refresh() {
        if (lag == null) {
            return;
        }
        // Kafka registers each partition's metrics twice: under the topic's name and, deprecated, with
        // its dots replaced by underscores. One row per partition, under the real name.
        java.util.Map<String, ObjectName> partitions = new java.util.TreeMap<>();
        for (ObjectName name : server.queryNames(PARTITION_METRICS, null)) {
            String topic = property(name, "topic");
            String key = property(name, "client-id") + "\u0000" + topic.replace('.', '_') + "\u0000" + property(name, "partition");
            ObjectName seen = partitions.get(key);
            if (seen == null || !property(seen, "topic").contains(".") && topic.contains(".")) {
                partitions.put(key, name);
            }
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (ObjectName name : partitions.values()) {
            Tags tags = Tags.of("client.id", property(name, "client-id"), "topic", property(name, "topic"),
                    "partition", property(name, "partition"));
            rows.add(MultiGauge.Row.of(tags, name, this::recordsLag));
        }
        lag.register(rows, true);
    }

    private double recordsLag(ObjectName name) {
        try {
            Object value = server.getAttribute(name, "records-lag");
            return value instanceof Number n ? n.doubleValue() : Double.NaN;
        } catch (JMException e) {
            return Double.NaN; // the partition was revoked since the last refresh
        }
    }

    /** Kafka quotes JMX values that contain special characters. */
    private static String property(ObjectName name, String key) {
        String value = name.getKeyProperty(key);
        return value.startsWith("\"") ? ObjectName.unquote(value) : value;
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }
}
