package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerMarkTest {

    @Test
    void roundTripsThroughOffsetMetadata() {
        LedgerMark mark = new LedgerMark(Map.of(3, 17L, 0, 123_456_789_012L));
        assertThat(mark.encode()).isEqualTo("clpipe-ledger-v1 0:123456789012,3:17");
        assertThat(LedgerMark.decode(mark.encode())).contains(mark);
        assertThat(LedgerMark.decode(LedgerMark.NONE.encode())).contains(LedgerMark.NONE);
    }

    @Test
    void metadataClpipeDidNotWriteIsNoMark() {
        assertThat(LedgerMark.decode(null)).isEmpty();
        assertThat(LedgerMark.decode("")).isEmpty();
        assertThat(LedgerMark.decode("committed by kafka-consumer-groups")).isEmpty();
        assertThat(LedgerMark.decode("clpipe-ledger-v1 0:12,x:3")).isEmpty();
        assertThat(LedgerMark.decode("clpipe-ledger-v1 0:-4")).isEmpty();
        assertThat(LedgerMark.decode("clpipe-ledger-v1 7")).isEmpty();
    }

    @Test
    void aUnionKeepsTheFurtherEndPerPartition() {
        LedgerMark a = new LedgerMark(Map.of(0, 10L, 1, 50L));
        LedgerMark b = new LedgerMark(Map.of(0, 30L, 2, 5L));
        assertThat(a.union(b).ends()).isEqualTo(Map.of(0, 30L, 1, 50L, 2, 5L));
        assertThat(a.union(LedgerMark.NONE)).isEqualTo(a);
    }
}
