package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.schemas.SnapshotChunks;
import org.junit.jupiter.api.Test;

class ModelsTopicCheckTest {

    @Test
    void theDefaultChunkFitsAOneMibRecordLimitAndALargerChunkIsRefusedWithTheFix() {
        assertThat(ModelsTopicCheck.problem("m", SnapshotChunks.DEFAULT_CHUNK_BYTES, 1 << 20)).isEmpty();
        assertThat(ModelsTopicCheck.problem("m", SnapshotChunks.DEFAULT_CHUNK_BYTES, 1_048_588)).isEmpty();
        assertThat(ModelsTopicCheck.problem("m", 2 << 20, 1 << 20)).hasValueSatisfying(p -> assertThat(p)
                .contains("snapshot.chunk.bytes=2097152", "max.message.bytes=1048576",
                        "at most " + ((1 << 20) - SnapshotChunks.RECORD_OVERHEAD_BYTES)));
        assertThat(ModelsTopicCheck.problem("m", (1 << 20) - SnapshotChunks.RECORD_OVERHEAD_BYTES + 1, 1 << 20)).isPresent();
    }
}
