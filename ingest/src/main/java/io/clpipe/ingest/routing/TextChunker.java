package io.clpipe.ingest.routing;

import io.clpipe.schemas.avro.Sample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a text sample into pieces of at most {@code maxBytes} UTF-8 bytes for a byte-level language
 * model: the learner turns each piece into one training window per byte, the evaluator into eval
 * windows, and bounded pieces keep records, batches and eval sets small. Cuts fall on character
 * boundaries, at the last line break of a piece when there is one in its second half. Pieces keep
 * the sample's stream, task, split and times; their sample ids are the original's plus {@code #k}.
 * A piece starts with an empty (zero) context, as a document does.
 */
public final class TextChunker {

    private final int maxBytes;

    /** @param maxBytes largest piece in UTF-8 bytes, at least 4 (one character); 0 = no chunking */
    public TextChunker(int maxBytes) {
        if (maxBytes != 0 && maxBytes < 4) {
            throw new IllegalArgumentException("text chunk size must be 0 (off) or at least 4 bytes, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The sample itself when it has no text or fits, else its pieces in text order. */
    public List<Sample> chunks(Sample sample) {
        String text = sample.getText();
        if (maxBytes == 0 || text == null) {
            return List.of(sample);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return List.of(sample);
        }
        List<Sample> out = new ArrayList<>(bytes.length / maxBytes + 1);
        int from = 0;
        while (from < bytes.length) {
            int to = cut(bytes, from);
            // field by field: Avro's copying builder looks classes up reflectively, which fails in the Streams thread
            Sample piece = new Sample(sample.getStream(), sample.getTask(), null,
                    new String(bytes, from, to - from, StandardCharsets.UTF_8), sample.getLabel(), sample.getSplit(),
                    sample.getSampleId() + "#" + out.size(), sample.getEventTime(), sample.getIngestTime());
            out.add(piece);
            from = to;
        }
        return out;
    }

    private int cut(byte[] bytes, int from) {
        int limit = from + maxBytes;
        if (limit >= bytes.length) {
            return bytes.length;
        }
        for (int i = limit - 1; i >= from + maxBytes / 2; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        int to = limit;
        while ((bytes[to] & 0xC0) == 0x80) { // never split a multi-byte character
            to--;
        }
        return to;
    }
}
