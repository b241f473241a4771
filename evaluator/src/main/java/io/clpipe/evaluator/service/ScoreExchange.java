package io.clpipe.evaluator.service;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Sends score requests to the scorers and waits for every reply ({@link KafkaScoreExchange} on Kafka). */
interface ScoreExchange extends AutoCloseable {

    /**
     * @return every request answered, or empty if {@code keepGoing} turned false first (shutdown)
     */
    Optional<ScoreGather> exchange(List<ScoreRequest> requests, BooleanSupplier keepGoing);

    @Override
    default void close() {
    }
}
