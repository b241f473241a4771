package io.clpipe.app;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Gives a HELP text to meters that arrive without one. Kafka registers some client metrics with an
 * empty description (the per-broker-node {@code request-latency-avg/max} of every producer, consumer
 * and admin client, created only once a connection to that node exists), and Prometheus tooling
 * flags a metric without HELP. The text names where the meter came from instead of inventing a meaning.
 */
final class DefaultDescriptionFilter implements MeterFilter {

    @Override
    public Meter.Id map(Meter.Id id) {
        String description = id.getDescription();
        if ((description != null && !description.isBlank()) || id.syntheticAssociation() != null) {
            return id;
        }
        return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()),
                id.getBaseUnit(), origin(id.getName()) + " " + id.getName() + " (its source gives no description)",
                id.getType());
    }

    private static String origin(String name) {
        return name.startsWith("kafka.") ? "Kafka client metric" : "Metric";
    }
}
