package io.clpipe.evaluator.service;

import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.avro.IterationMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery from the metrics topic: feeds the metrics records committed since the {@link LedgerPositions} (by this or
 * any evaluator of the group) into the engines, at start and whenever models partitions are assigned, so that a
 * takeover continues from the previous owner's last transaction ({@link LedgerMark}) instead of scoring its
 * snapshots again.
 */
final class LedgerCatchUp {

    private static final Logger log = LoggerFactory.getLogger(LedgerCatchUp.class);
    /** How long a takeover waits for the previous owner's last transaction to become readable. */
    private static final Duration MARK_TIMEOUT = Duration.ofSeconds(60);

    private final Ledger ledger;
    private final SnapshotEvaluator evaluator;
    private final Map<String, TopicPartition> ownedStreams;
    private final BooleanSupplier running;

    /** @param ownedStreams the streams this evaluator evaluates (their meters are exported), read only */
    LedgerCatchUp(Ledger ledger, SnapshotEvaluator evaluator, Map<String, TopicPartition> ownedStreams,
                  BooleanSupplier running) {
        this.ledger = ledger;
        this.evaluator = evaluator;
        this.ownedStreams = ownedStreams;
        this.running = running;
    }

    /**
     * Reads the metrics topic from the ledger positions to its end, and at least up to {@code mark}.
     *
     * @return records applied to the engines (the others were in them already), or −1 on shutdown
     */
    long catchUp(LedgerMark mark) {
        long[] applied = {0};
        long read = ledger.catchUp(mark, MARK_TIMEOUT, running, r -> {
            try {
                IterationMetrics published = MetricsJson.parse(r.value());
                if (evaluator.replay(published, ownedStreams.containsKey(published.getStream()))) {
                    applied[0]++;
                }
            } catch (SerializationException e) {
                log.warn("Metrics record {}-{}@{} is not readable and is ignored: {}", r.topic(), r.partition(), r.offset(),
                        e.getMessage());
            }
        });
        return read < 0 ? -1 : applied[0];
    }
}
