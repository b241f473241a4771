package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class KafkaConsumerLagMetricsTest {

    /** Stands in for the MBean Kafka's JmxReporter registers per consumer partition. */
    static final class PartitionMetrics implements DynamicMBean {
        volatile double recordsLag;

        PartitionMetrics(double recordsLag) {
            this.recordsLag = recordsLag;
        }

        @Override
        public Object getAttribute(String attribute) throws AttributeNotFoundException {
            if (!attribute.equals("records-lag")) {
                throw new AttributeNotFoundException(attribute);
            }
            return recordsLag;
        }

        @Override
        public void setAttribute(Attribute attribute) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AttributeList getAttributes(String[] attributes) {
            return new AttributeList();
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object invoke(String actionName, Object[] params, String[] signature) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            return new MBeanInfo(PartitionMetrics.class.getName(), "test", new MBeanAttributeInfo[] {
                new MBeanAttributeInfo("records-lag", "double", "lag", true, false, false)}, null, null, null);
        }
    }

    @Test
    void followsConsumerPartitionsAsTheyAppearChangeAndGo() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        ObjectName train0 = new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=clpipe-learner,topic=clpipe.train,partition=0");
        ObjectName perClient = new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=clpipe-learner");
        // Kafka's deprecated second registration of the same partition, dots as underscores: not a second lag.
        ObjectName legacy = new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=clpipe-learner,topic=clpipe_train,partition=0");
        PartitionMetrics partition = new PartitionMetrics(120);
        server.registerMBean(new PartitionMetrics(120), legacy);
        server.registerMBean(partition, train0);
        server.registerMBean(new PartitionMetrics(999), perClient);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KafkaConsumerLagMetrics lag = new KafkaConsumerLagMetrics(server, 60_000)) {
            lag.bindTo(registry);
            Gauge gauge = registry.get(KafkaConsumerLagMetrics.NAME)
                    .tags("client.id", "clpipe-learner", "topic", "clpipe.train", "partition", "0").gauge();
            assertThat(gauge.value()).isEqualTo(120);
            assertThat(registry.find(KafkaConsumerLagMetrics.NAME).gauges()).as("the per-client MBean is not a partition").hasSize(1);
            assertThat(gauge.getId().getDescription()).isNotBlank();

            partition.recordsLag = 3;
            assertThat(gauge.value()).isEqualTo(3);

            server.unregisterMBean(train0);
            server.unregisterMBean(legacy);
            assertThat(gauge.value()).as("revoked before the next refresh").isNaN();
            ObjectName quoted = new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=\"a,b\",topic=t,partition=1");
            server.registerMBean(new PartitionMetrics(7), quoted);
            lag.refresh();
            assertThat(registry.find(KafkaConsumerLagMetrics.NAME).gauges()).hasSize(1);
            assertThat(registry.get(KafkaConsumerLagMetrics.NAME).tags("client.id", "a,b", "topic", "t", "partition", "1").gauge().value())
                    .isEqualTo(7);
        }
    }
}
