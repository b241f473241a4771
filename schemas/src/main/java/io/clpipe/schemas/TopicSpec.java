package io.clpipe.schemas;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * How a topic should be created, and what its producers need to write to it.
 *
 * @param configs         topic-level overrides ({@code org.apache.kafka.common.config.TopicConfig} keys)
 * @param producerConfigs settings a producer of this topic must add, e.g. {@code max.request.size}
 *                        for topics whose records exceed the 1 MiB default
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs, Map<String, String> producerConfigs) {

    public TopicSpec {
        configs = Map.copyOf(configs);
        producerConfigs = Map.copyOf(producerConfigs);
        if (partitions <= 0) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be positive, got " + partitions);
        }
    }

    public TopicSpec withPartitions(int count) {
        return new TopicSpec(name, count, configs, producerConfigs);
    }

    /** For {@code Admin.createTopics}, with the broker's default replication factor. */
    public NewTopic newTopic() {
        return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }
}
