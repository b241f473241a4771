package io.clpipe.learner.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code eval.max.lag}: how many of this learner's snapshots the evaluator has not committed yet, per models
 * partition. The evaluator commits its models-topic offsets in the transaction that publishes the metrics of the
 * snapshots before them (docs/architecture.md), so a snapshot is evaluated exactly when its group's committed
 * offset has passed its last record. The learner remembers the offset of each snapshot it published (the
 * manifest's, for a chunked one) and asks the group's committed offsets (Admin API) only when its own count says
 * the bound may be passed, so the evaluator group is not queried per step.
 *
 * <p>Only snapshots published by this learner instance are counted: after a restart the snapshots of the previous
 * run that are still unevaluated are not (the bound is kept again once those are evaluated).
 */
final class EvalBackPressure implements KafkaLearnerOutput.SnapshotListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EvalBackPressure.class);
    private static final long ADMIN_TIMEOUT_SECONDS = 30;

    private final int maxLag;
    private final String group;
    private final String topic;
    private final Admin admin;
    /** Models partition → offsets of this learner's acknowledged snapshots not yet known to be evaluated. */
    private final Map<Integer, NavigableSet<Long>> unevaluated = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The group's committed offsets as last read (absent: nothing committed yet). */
    private final Map<Integer, Long> committed = new HashMap<>();

    EvalBackPressure(int maxLag, String group, String topic, Properties clientProperties) {
        if (maxLag <= 0) {
            throw new IllegalArgumentException("eval.max.lag must be positive to be enforced, got " + maxLag);
        }
        this.maxLag = maxLag;
        this.group = group;
        this.topic = topic;
        this.admin = Admin.create(clientProperties);
    }

    @Override
    public void sending() {
        inFlight.incrementAndGet();
    }

    @Override
    public void acknowledged(int partition, long offset) {
        unevaluated.computeIfAbsent(partition, p -> new ConcurrentSkipListSet<>()).add(offset);
        inFlight.decrementAndGet();
    }

    @Override
    public void failed() {
        inFlight.decrementAndGet();
    }

    int maxLag() {
        return maxLag;
    }

    /** Largest count, over the models partitions, of this learner's snapshots not evaluated as far as last read. */
    int lag() {
        int worst = 0;
        for (Map.Entry<Integer, NavigableSet<Long>> e : unevaluated.entrySet()) {
            long from = committed.getOrDefault(e.getKey(), 0L);
            e.getValue().headSet(from, false).clear();
            worst = Math.max(worst, e.getValue().size());
        }
        return worst + inFlight.get();
    }

    /**
     * Whether training must wait: more than {@code eval.max.lag} snapshots ahead of the evaluator group. Reads the
     * group's offsets (after {@code flush}, so every snapshot sent has its offset) only when the local count is over.
     */
    boolean mustWait(Runnable flush) {
        if (lag() <= maxLag) {
            return false;
        }
        flush.run();
        refresh();
        return lag() > maxLag;
    }

    private void refresh() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            offsets.forEach((tp, o) -> {
                if (tp.topic().equals(topic) && o != null) {
                    committed.put(tp.partition(), o.offset());
                }
            });
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) {
                throw new IllegalStateException("eval.max.lag needs DESCRIBE on the evaluator's consumer group " + group
                        + " to read its committed offsets (" + e.getCause().getMessage() + "); grant it or set eval.max.lag=0",
                        e.getCause());
            }
            log.warn("Cannot read the committed offsets of evaluator group {} ({}); training waits and asks again", group,
                    e.getCause());
        } catch (TimeoutException e) {
            log.warn("Cannot read the committed offsets of evaluator group {} within {} s; training waits and asks again", group,
                    ADMIN_TIMEOUT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Partitions with unevaluated snapshots, for the log. */
    List<Integer> partitions() {
        return unevaluated.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).sorted().toList();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
