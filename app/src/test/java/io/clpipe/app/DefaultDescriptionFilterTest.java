package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DefaultDescriptionFilterTest {

    @Test
    void aMeterWithoutDescriptionGetsAHelpLineAndOneWithAKeepsIt() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new DefaultDescriptionFilter());
        AtomicInteger value = new AtomicInteger(3);
        Gauge.builder("kafka.producer.node.request.latency.avg", value, AtomicInteger::get).tag("node.id", "node-1").register(registry);
        Gauge.builder("clpipe.thing", value, AtomicInteger::get).description("What a thing is").register(registry);

        String scrape = registry.scrape();

        assertThat(scrape).contains("# HELP kafka_producer_node_request_latency_avg Kafka client metric kafka.producer.node.request.latency.avg (its source gives no description)");
        assertThat(scrape).contains("kafka_producer_node_request_latency_avg{node_id=\"node-1\"} 3");
        assertThat(scrape).contains("# HELP clpipe_thing What a thing is");
    }
}
