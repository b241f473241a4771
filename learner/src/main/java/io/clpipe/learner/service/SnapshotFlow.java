package io.clpipe.learner.service;

import io.clpipe.schemas.SnapshotChunks;

/**
 * How the learner's snapshots travel to the evaluator (docs/operations.md, "Snapshots and back-pressure").
 *
 * @param chunkBytes  {@code snapshot.chunk.bytes}: a snapshot whose Avro bytes exceed this is sent as chunk records of
 *                    at most this payload plus a manifest (docs/records.md); it must fit the models topic's
 *                    {@code max.message.bytes}, which the learner checks at start
 * @param evalMaxLag  {@code eval.max.lag}: 0 (default) lets the evaluator fall behind; N &gt; 0 pauses training while a
 *                    stream's partition has more than N snapshots that the evaluator group has not committed yet
 * @param evalGroupId {@code eval.group.id}: the evaluator group whose committed models-topic offsets {@code eval.max.lag}
 *                    reads (clpipe-evaluator)
 */
public record SnapshotFlow(int chunkBytes, int evalMaxLag, String evalGroupId) {

    public static final String DEFAULT_EVAL_GROUP_ID = "clpipe-evaluator";

    public static final SnapshotFlow DEFAULTS = new SnapshotFlow(SnapshotChunks.DEFAULT_CHUNK_BYTES, 0, DEFAULT_EVAL_GROUP_ID);

    public SnapshotFlow {
        if (chunkBytes < SnapshotChunks.MIN_CHUNK_BYTES) {
            throw new IllegalArgumentException("snapshot.chunk.bytes must be at least " + SnapshotChunks.MIN_CHUNK_BYTES + ", got "
                    + chunkBytes);
        }
        if (evalMaxLag < 0) {
            throw new IllegalArgumentException("eval.max.lag must be 0 (off) or positive, got " + evalMaxLag);
        }
        if (evalGroupId == null || evalGroupId.isBlank()) {
            throw new IllegalArgumentException("eval.group.id must not be empty");
        }
    }

    static SnapshotFlow read(PropertyReader p) {
        return new SnapshotFlow(p.get(LearnerSettings.SNAPSHOT_CHUNK_BYTES), p.get(LearnerSettings.EVAL_MAX_LAG),
                p.get(LearnerSettings.EVAL_GROUP_ID));
    }

    public SnapshotFlow withChunkBytes(int v) {
        return new SnapshotFlow(v, evalMaxLag, evalGroupId);
    }

    public SnapshotFlow withEvalMaxLag(int v, String group) {
        return new SnapshotFlow(chunkBytes, v, group);
    }
}
