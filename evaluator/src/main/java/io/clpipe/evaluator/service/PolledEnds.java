package io.clpipe.evaluator.service;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** The end offsets of the partitions just polled, as the consumer's last fetch saw them (no request to the broker). */
final class PolledEnds {

    private PolledEnds() {
    }

    /** Position + lag per partition whose lag the consumer knows; empty when thinning is off (nothing needs them). */
    static Map<TopicPartition, Long> of(Consumer<?, ?> consumer, Set<TopicPartition> partitions, Thinning thinning) {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (!thinning.on()) {
            return out;
        }
        for (TopicPartition tp : partitions) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                out.put(tp, consumer.position(tp) + lag.getAsLong());
            }
        }
        return out;
    }
}
