package io.clpipe.schemas;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads the models topic record by record and hands back whole snapshots (their Avro bytes): a
 * single-record snapshot as it is, a chunked one ({@link SnapshotChunks}) once its manifest arrives
 * and the chunks match it in count, size and SHA-256. A chunk set that cannot be completed (a chunk
 * missing or out of order, a manifest without its chunks, a set left unfinished by a learner that
 * died while writing it and then superseded by the stream's next record) or that fails the check is
 * {@link Outcome.Refused refused}, never returned as a snapshot. Sets in progress are kept per
 * partition and key (a stream's records all share one partition). Not thread-safe.
 */
public final class SnapshotAssembler {

    /** What one record completed. */
    public sealed interface Outcome {

        /**
         * A whole snapshot.
         *
         * @param value       its Avro bytes
         * @param headers     the headers of its single record or of its manifest
         * @param firstOffset offset of its first record (equal to lastOffset for a single record)
         */
        record Whole(String key, byte[] value, Headers headers, int partition, long firstOffset, long lastOffset)
                implements Outcome {
        }

        /**
         * A chunk set refused.
         *
         * @param version the snapshot version when a manifest said it, else −1
         * @param corrupt true when chunks and manifest were all there but do not match (flipped bytes),
         *                false when the set is incomplete
         */
        record Refused(String key, long version, int partition, long firstOffset, long lastOffset, boolean corrupt, String reason)
                implements Outcome {

            public String describe() {
                return "chunked snapshot of stream " + key + (version >= 0 ? " version " + version : "") + " (partition "
                        + partition + " offsets " + firstOffset + ".." + lastOffset + ") refused: " + reason;
            }
        }
    }

    private record Slot(int partition, String key) {
    }

    private static final class Pending {
        final String set;
        final int count;
        final long firstOffset;
        long lastOffset;
        final List<byte[]> chunks = new ArrayList<>();

        Pending(SnapshotChunks.ChunkId id, long offset) {
            this.set = id.set();
            this.count = id.count();
            this.firstOffset = offset;
            this.lastOffset = offset;
        }
    }

    private final String topic;
    private final Map<Slot, Pending> pending = new HashMap<>();

    /** @param topic the models topic (sets of other topics' partitions are never mixed up) */
    public SnapshotAssembler(String topic) {
        this.topic = topic;
    }

    /** The outcomes of the record, in order: none while a chunk set is in progress. */
    public List<Outcome> offer(ConsumerRecord<String, byte[]> r) {
        String key = Objects.toString(r.key(), "");
        Slot slot = new Slot(r.partition(), key);
        String chunk = header(r.headers(), SnapshotChunks.CHUNK_HEADER);
        String manifest = header(r.headers(), SnapshotChunks.MANIFEST_HEADER);
        List<Outcome> out = new ArrayList<>(2);
        if (chunk != null) {
            chunk(slot, r, chunk, out);
        } else if (manifest != null) {
            manifest(slot, r, out);
        } else {
            abandon(slot, r.offset(), out);
            out.add(new Outcome.Whole(key, r.value(), r.headers(), r.partition(), r.offset(), r.offset()));
        }
        return out;
    }

    private void chunk(Slot slot, ConsumerRecord<String, byte[]> r, String header, List<Outcome> out) {
        SnapshotChunks.ChunkId id;
        try {
            id = SnapshotChunks.ChunkId.parse(header);
        } catch (IllegalArgumentException e) {
            abandon(slot, r.offset(), out);
            out.add(refused(slot, -1, r.offset(), r.offset(), false, e.getMessage()));
            return;
        }
        Pending p = pending.get(slot);
        if (p != null && !p.set.equals(id.set())) {
            abandon(slot, r.offset(), out);
            p = null;
        }
        if (p == null) {
            if (id.index() != 0) {
                out.add(refused(slot, -1, r.offset(), r.offset(), false, "chunk " + id.index() + " of " + id.count() + " of set "
                        + id.set() + " without the chunks before it (cut by retention, or read from the middle)"));
                return;
            }
            p = new Pending(id, r.offset());
            pending.put(slot, p);
        }
        if (id.index() != p.chunks.size() || id.count() != p.count || r.value() == null) {
            pending.remove(slot);
            out.add(refused(slot, -1, p.firstOffset, r.offset(), false, "chunk " + id.index() + " of " + id.count()
                    + " arrived after " + p.chunks.size() + " chunk(s) of " + p.count + " (a chunk is missing)"));
            return;
        }
        p.chunks.add(r.value());
        p.lastOffset = r.offset();
    }

    private void manifest(Slot slot, ConsumerRecord<String, byte[]> r, List<Outcome> out) {
        SnapshotChunks.Manifest m;
        try {
            m = SnapshotChunks.Manifest.fromJson(r.value());
        } catch (IllegalArgumentException e) {
            abandon(slot, r.offset(), out);
            out.add(refused(slot, -1, r.offset(), r.offset(), true, "unreadable manifest: " + e.getMessage()));
            return;
        }
        Pending p = pending.get(slot);
        if (p == null || !p.set.equals(m.set())) {
            abandon(slot, r.offset(), out);
            out.add(refused(slot, m.version(), r.offset(), r.offset(), false, "manifest of set " + m.set()
                    + " without its chunks (cut by retention, or read from the middle)"));
            return;
        }
        pending.remove(slot);
        try {
            byte[] whole = ChunkedBytes.assemble(p.chunks, m.chunks(), m.bytes(), m.sha256());
            out.add(new Outcome.Whole(slot.key(), whole, r.headers(), slot.partition(), p.firstOffset, r.offset()));
        } catch (ChunkedBytes.Mismatch e) {
            boolean corrupt = p.chunks.size() == m.chunks();
            out.add(refused(slot, m.version(), p.firstOffset, r.offset(), corrupt, e.getMessage()));
        }
    }

    /** A set in progress for the slot will never be finished: the stream has moved on. */
    private void abandon(Slot slot, long offset, List<Outcome> out) {
        Pending p = pending.remove(slot);
        if (p != null) {
            out.add(refused(slot, -1, p.firstOffset, p.lastOffset, false, "only " + p.chunks.size() + " of " + p.count
                    + " chunks and no manifest before the stream's next record at offset " + offset
                    + " (the learner stopped while writing it)"));
        }
    }

    private Outcome.Refused refused(Slot slot, long version, long first, long last, boolean corrupt, String reason) {
        return new Outcome.Refused(slot.key(), version, slot.partition(), first, last, corrupt, reason);
    }

    /**
     * The offset of the first chunk of the oldest set in progress on the partition: a consumer that
     * commits offsets must not commit beyond it, so that after a restart the set is read whole.
     */
    public OptionalLong pendingFrom(TopicPartition tp) {
        if (!tp.topic().equals(topic)) {
            return OptionalLong.empty();
        }
        return pending.entrySet().stream().filter(e -> e.getKey().partition() == tp.partition())
                .mapToLong(e -> e.getValue().firstOffset).min();
    }

    /** Drops the sets in progress on these partitions (revoked, or about to be read again from a seek). */
    public void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (tp.topic().equals(topic)) {
                pending.keySet().removeIf(s -> s.partition() == tp.partition());
            }
        }
    }

    /** Bytes held by sets in progress. */
    public long pendingBytes() {
        return pending.values().stream().flatMap(p -> p.chunks.stream()).mapToLong(c -> c.length).sum();
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
