package io.clpipe.evaluator.service;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far the metrics engines include the metrics topic: per partition, an offset before which every
 * committed record, of every stream and whoever published it, has been applied. Reading the topic
 * from these positions brings every stream up to date (records at or below a stream's last version
 * are skipped, so reading a record twice is harmless; skipping one is not).
 *
 * <p>Reading the topic moves a position to where the read ended. This evaluator's own commits move it
 * only while nobody else can have written in between: a transaction's first record must land exactly
 * where this evaluator's previous record (plus its commit marker) or the last read ended. Anything
 * else (another evaluator's records, an aborted attempt) breaks that chain and the position waits for
 * the next read. A single evaluator thus keeps its positions current without reading its own output.
 */
final class LedgerPositions {

    private final Map<Integer, Long> positions = new TreeMap<>();
    /** Where this evaluator's next record lands if nobody else writes first; absent once unknown. */
    private final Map<Integer, Long> expectedNext = new HashMap<>();

    /** Positions from a saved state; until the next read nothing is known of what follows them. */
    void restore(Map<Integer, Long> saved) {
        positions.clear();
        positions.putAll(saved);
        expectedNext.clear();
    }

    /** Where a read of a partition starts: its position, or empty for the beginning. */
    Long start(int partition) {
        return positions.get(partition);
    }

    /** A read of the partition applied every committed record before {@code position}, and ended there. */
    void read(int partition, long position) {
        positions.put(partition, position);
        expectedNext.put(partition, position);
    }

    /**
     * This evaluator committed {@code count} records to the partition, the first at offset {@code first},
     * the last at {@code last}; other producers' records may lie between them unless the count fills the range.
     */
    void published(int partition, long first, long last, int count) {
        Long expected = expectedNext.remove(partition);
        if (expected != null && expected == first && last - first + 1 == count) {
            positions.put(partition, last + 1);
            expectedNext.put(partition, last + 2); // after this transaction's commit marker
        }
    }

    Map<Integer, Long> snapshot() {
        return Collections.unmodifiableMap(new TreeMap<>(positions));
    }
}
