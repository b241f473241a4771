package io.clpipe.learner.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds training while the learner is more than {@code eval.max.lag} snapshots ahead of the evaluator
 * ({@link EvalBackPressure}). The group consumer stays a member meanwhile: its partitions are paused and it
 * keeps polling (no rebalance, rebalance callbacks still run); a record a poll returns anyway (a partition
 * assigned during that very poll) is sought back, so it is read again after the hold. Partitions this class
 * paused are resumed afterwards; those the feed keeps paused (read-ahead) stay so.
 */
final class TrainingHold {

    static final String HELD_GAUGE = "clpipe.learner.eval.held";
    static final String LAG_GAUGE = "clpipe.learner.eval.lag";

    private static final Logger log = LoggerFactory.getLogger(TrainingHold.class);

    private final Consumer<String, byte[]> consumer;
    private final EvalBackPressure pressure;
    private final Duration pollTimeout;
    private final Counter holds;
    private volatile int held;
    private volatile int lastLag;

    TrainingHold(Consumer<String, byte[]> consumer, EvalBackPressure pressure, Duration pollTimeout, MeterRegistry registry) {
        this.consumer = consumer;
        this.pressure = pressure;
        this.pollTimeout = pollTimeout;
        Gauge.builder(HELD_GAUGE, this, h -> h.held).description("1 while training waits for the evaluator (eval.max.lag)")
                .register(registry);
        Gauge.builder(LAG_GAUGE, this, h -> h.lastLag)
                .description("This learner's snapshots the evaluator group has not committed yet, worst models partition")
                .register(registry);
        this.holds = Counter.builder("clpipe.learner.eval.holds").description("Times training waited for the evaluator")
                .register(registry);
    }

    /** Whether training must wait now (flushing and asking the evaluator group only near the bound). */
    boolean mustWait(Runnable flush) {
        boolean wait = pressure.mustWait(flush);
        lastLag = pressure.lag();
        return wait;
    }

    /** Returns once the evaluator is within the bound or {@code stop} answers true. */
    void awaitEvaluator(BooleanSupplier stop, Runnable flush) {
        if (!mustWait(flush)) {
            return;
        }
        holds.increment();
        held = 1;
        log.info("Training waits: {} snapshots ahead of evaluator group's committed offsets on models partitions {}"
                + " (eval.max.lag={}); the training consumer stays in its group, paused", lastLag, pressure.partitions(),
                pressure.maxLag());
        Set<TopicPartition> pausedHere = new HashSet<>();
        long started = System.nanoTime();
        try {
            while (!stop.getAsBoolean() && mustWait(flush)) {
                for (TopicPartition tp : consumer.assignment()) {
                    if (!consumer.paused().contains(tp)) {
                        consumer.pause(List.of(tp));
                        pausedHere.add(tp);
                    }
                }
                ConsumerRecords<String, byte[]> stray = consumer.poll(pollTimeout);
                for (TopicPartition tp : stray.partitions()) {
                    consumer.seek(tp, stray.records(tp).get(0).offset());
                }
            }
        } finally {
            held = 0;
            pausedHere.retainAll(consumer.assignment());
            consumer.resume(pausedHere);
        }
        log.info("Training resumes after {} ms: {} snapshots ahead of the evaluator (eval.max.lag={})",
                (System.nanoTime() - started) / 1_000_000, lastLag, pressure.maxLag());
    }
}
