package io.clpipe.evaluator.service;

import io.clpipe.schemas.SnapshotAssembler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which models partitions (and so which streams) this evaluator owns, kept by the group's rebalances: an assigned
 * partition is positioned at the group's committed offset after the metrics its previous owner published are caught
 * up ({@link LedgerCatchUp}); a revoked or lost one stops being exported. No transaction is open between polls, so a
 * release has nothing to finish.
 */
final class ModelsOwnership implements ConsumerRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(ModelsOwnership.class);

    private final Consumer<String, byte[]> models;
    private final LedgerCatchUp catchUp;
    private final SnapshotAssembler assembler;
    private final EvaluatorMeters meters;
    private final BooleanSupplier running;
    private final Runnable saveState;
    /** Models partitions owned → the offset committed last (absent: none committed yet). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    /** Streams evaluated here → the models partition their snapshots arrive on (the scorer adds to it). */
    private final Map<String, TopicPartition> ownedStreams;
    private volatile boolean joined;
    private long assignments;

    ModelsOwnership(Consumer<String, byte[]> models, LedgerCatchUp catchUp, Map<String, TopicPartition> ownedStreams,
                    SnapshotAssembler assembler, EvaluatorMeters meters, BooleanSupplier running, Runnable saveState) {
        this.models = models;
        this.catchUp = catchUp;
        this.ownedStreams = ownedStreams;
        this.assembler = assembler;
        this.meters = meters;
        this.running = running;
        this.saveState = saveState;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        joined = true;
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> groupOffsets = models.committed(new HashSet<>(partitions));
        LedgerMark mark = LedgerMark.NONE;
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = groupOffsets.get(tp);
            if (offset == null) {
                models.seekToBeginning(List.of(tp));
            } else {
                models.seek(tp, offset.offset());
                committed.put(tp, offset.offset());
                mark = mark.union(LedgerMark.decode(offset.metadata()).orElse(LedgerMark.NONE));
            }
        }
        long replayed = catchUp.catchUp(mark);
        if (replayed < 0) {
            return; // shutting down
        }
        saveState.run();
        assignments++;
        log.info("Assigned models partitions {} at committed offsets {}; {} metrics records of other evaluators caught up "
                + "(previous owners' last transactions reached {})", partitions, EvaluatorState.byPartition(committed), replayed,
                mark.ends());
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        release(partitions, "Revoked");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        release(partitions, "Lost (another evaluator may own them now)");
    }

    private void release(Collection<TopicPartition> partitions, String what) {
        if (partitions.isEmpty()) {
            return;
        }
        List<String> streams = new ArrayList<>();
        ownedStreams.entrySet().removeIf(e -> {
            boolean drop = partitions.contains(e.getValue());
            if (drop) {
                streams.add(e.getKey());
                meters.forget(e.getKey());
            }
            return drop;
        });
        partitions.forEach(committed::remove);
        assembler.forget(partitions);
        if (running.getAsBoolean()) {
            log.info("{} models partitions {}; streams {} are evaluated elsewhere from now on", what, partitions, streams);
        } else {
            log.info("Released models partitions {} (streams {}) on shutdown", partitions, streams);
        }
    }

    /** A transaction committed these offsets. */
    void committed(Map<TopicPartition, OffsetAndMetadata> next) {
        next.forEach((tp, offset) -> committed.put(tp, offset.offset()));
    }

    /** Rollback: every assigned partition back to its last committed offset, its partial chunked snapshots dropped. */
    void seekToCommitted() {
        assembler.forget(models.assignment());
        for (TopicPartition tp : models.assignment()) {
            Long offset = committed.get(tp);
            if (offset == null) {
                models.seekToBeginning(List.of(tp));
            } else {
                models.seek(tp, offset);
            }
        }
    }

    /** Models partition number → the offset committed last, as the state file keeps them. */
    Map<Integer, Long> committedByPartition() {
        return EvaluatorState.byPartition(committed);
    }

    /** Whether the consumer has joined its group and been given its partitions (possibly none) at least once. */
    boolean joined() {
        return joined;
    }

    long assignments() {
        return assignments;
    }
}
