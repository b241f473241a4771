package io.clpipe.evaluator.service;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a metrics transaction wrote, carried in the metadata of the models-topic offsets it commits:
 * per metrics-topic partition, the offset just after its last record there. An evaluator taking over
 * a models partition reads the metrics topic at least that far before it evaluates the partition's
 * next snapshot, so the previous owner's last transaction is in its metrics engines even if that
 * transaction's markers reached the metrics topic after the offsets became readable.
 *
 * <p>Encoded as {@code clpipe-ledger-v1 0:1234,1:567}: a few bytes per metrics partition, well under
 * the broker's {@code offset.metadata.max.bytes} (4096) for any sensible partition count.
 *
 * @param ends metrics partition → offset just after this transaction's last record there
 */
record LedgerMark(Map<Integer, Long> ends) {

    private static final String PREFIX = "clpipe-ledger-v1 ";

    static final LedgerMark NONE = new LedgerMark(Map.of());

    LedgerMark {
        ends = Collections.unmodifiableMap(new TreeMap<>(ends));
    }

    String encode() {
        StringBuilder out = new StringBuilder(PREFIX);
        ends.forEach((partition, end) -> {
            if (out.length() > PREFIX.length()) {
                out.append(',');
            }
            out.append(partition).append(':').append(end);
        });
        return out.toString();
    }

    /**
     * The mark in an offset's metadata; empty for metadata clpipe did not write (another tool's commit,
     * an older evaluator) or cannot read, so the caller falls back to reading the topic to its end.
     */
    static Optional<LedgerMark> decode(String metadata) {
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String body = metadata.substring(PREFIX.length());
        Map<Integer, Long> ends = new TreeMap<>();
        if (!body.isEmpty()) {
            for (String entry : body.split(",", -1)) {
                int colon = entry.indexOf(':');
                try {
                    int partition = Integer.parseInt(entry.substring(0, Math.max(colon, 0)));
                    long end = Long.parseLong(entry.substring(colon + 1));
                    if (partition < 0 || end < 0) {
                        return Optional.empty();
                    }
                    ends.merge(partition, end, Math::max);
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new LedgerMark(ends));
    }

    /** Per partition, the larger end of the two marks. */
    LedgerMark union(LedgerMark other) {
        Map<Integer, Long> merged = new TreeMap<>(ends);
        other.ends.forEach((partition, end) -> merged.merge(partition, end, Math::max));
        return new LedgerMark(merged);
    }
}
