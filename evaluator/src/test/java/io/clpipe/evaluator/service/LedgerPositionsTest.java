package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Offsets as a broker assigns them: each transaction's records, then one commit marker per partition. */
class LedgerPositionsTest {

    @Test
    void ownCommitsRightAfterAReadMoveThePositionChainedThroughTheirMarkers() {
        LedgerPositions positions = new LedgerPositions();
        positions.read(0, 100);
        positions.published(0, 100, 103, 4); // records 100..103, marker 104
        assertThat(positions.start(0)).isEqualTo(104);
        positions.published(0, 105, 105, 1); // marker 106
        assertThat(positions.start(0)).isEqualTo(106);
    }

    @Test
    void anotherWritersRecordBeforeOursStopsThePositionUntilTheNextRead() {
        LedgerPositions positions = new LedgerPositions();
        positions.read(0, 100);
        positions.published(0, 102, 102, 1); // someone wrote 100 (and its marker 101) first
        assertThat(positions.start(0)).isEqualTo(100);
        positions.published(0, 104, 104, 1); // contiguous with ours, but 100..101 are still unread
        assertThat(positions.start(0)).isEqualTo(100);
        positions.read(0, 106);
        assertThat(positions.start(0)).isEqualTo(106);
        positions.published(0, 106, 106, 1);
        assertThat(positions.start(0)).isEqualTo(107);
    }

    @Test
    void anotherWritersRecordAmongOursStopsThePosition() {
        LedgerPositions positions = new LedgerPositions();
        positions.read(1, 10);
        positions.published(1, 10, 12, 2); // 11 is someone else's
        assertThat(positions.start(1)).isEqualTo(10);
    }

    @Test
    void restoredPositionsDoNotMoveBeforeARead() {
        LedgerPositions positions = new LedgerPositions();
        positions.restore(Map.of(0, 50L));
        positions.published(0, 50, 51, 2);
        assertThat(positions.snapshot()).containsExactlyEntriesOf(Map.of(0, 50L));
        assertThat(positions.start(1)).as("a partition never read starts at the beginning").isNull();
    }
}
