package io.clpipe.app.reproduce;

import io.clpipe.datasets.TextCorpus;
import io.clpipe.datasets.TextDocument;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The EN → DE text of {@code reproduce rewarm} as samples: whole training documents in a seeded
 * order, the last one cut so that a domain's training text is exactly its byte budget; validation
 * slices of {@code evalBytesPerDoc} bytes from the middle of validation documents (whole documents
 * of the corpus's deterministic split, never trained on).
 */
final class RewarmData {

    static final String EN = "en";
    static final String DE = "de";
    /** Share of documents kept for validation, per mille. */
    static final int VALIDATION_PER_MILLE = 50;
    /** Longest text of one produced record, in UTF-8 bytes. */
    static final int MAX_RECORD_TEXT = 16 * 1024;

    private final String stream;
    private final TextCorpus.Split en;
    private final TextCorpus.Split de;
    private final long seed;

    RewarmData(String stream, TextCorpus en, TextCorpus de, long seed) {
        this.stream = stream;
        this.en = en.split(VALIDATION_PER_MILLE);
        this.de = de.split(VALIDATION_PER_MILLE);
        this.seed = seed;
    }

    private TextCorpus.Split split(String domain) {
        return EN.equals(domain) ? en : de;
    }

    /** Validation slices of {@code docs} documents of the domain, {@code bytesPerDoc} UTF-8 bytes at most each. */
    List<Sample> validation(String domain, int docs, int bytesPerDoc) {
        List<TextDocument> pool = shuffled(split(domain).validation(), seed ^ 0x5eed);
        List<Sample> out = new ArrayList<>();
        for (TextDocument d : pool) {
            if (out.size() == docs) {
                break;
            }
            byte[] bytes = d.text().getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 2 * bytesPerDoc) {
                continue;
            }
            int from = boundary(bytes, bytes.length / 3);
            int to = boundary(bytes, from + bytesPerDoc);
            out.add(sample(domain, d.name() + "@val", new String(bytes, from, to - from, StandardCharsets.UTF_8), Split.EVAL));
        }
        if (out.size() < docs) {
            throw new IllegalStateException("only " + out.size() + " validation documents of " + domain + " are long enough, " + docs + " wanted");
        }
        return out;
    }

    /** Training documents of the domain in seeded order, the last cut, adding up to exactly {@code budget} UTF-8 bytes. */
    List<Sample> train(String domain, long budget) {
        List<Sample> out = new ArrayList<>();
        long left = budget;
        for (TextDocument d : shuffled(split(domain).train(), seed)) {
            if (left <= 0) {
                break;
            }
            byte[] bytes = d.text().getBytes(StandardCharsets.UTF_8);
            int take = (int) Math.min(bytes.length, left);
            int to = take == bytes.length ? take : boundary(bytes, take);
            if (to == 0) {
                break;
            }
            // records of at most MAX_RECORD_TEXT bytes: well inside ingest's text and record limits
            for (int from = 0, part = 0; from < to; part++) {
                int end = from + MAX_RECORD_TEXT >= to ? to : boundary(bytes, from + MAX_RECORD_TEXT);
                out.add(sample(domain, d.name() + "#" + part, new String(bytes, from, end - from, StandardCharsets.UTF_8), Split.TRAIN));
                from = end;
            }
            left -= to;
        }
        if (left > 64) {
            throw new IllegalStateException(domain + " has too little training text for a budget of " + budget + " bytes");
        }
        return out;
    }

    /**
     * Both domains' training records mixed evenly by bytes (the next record comes from the domain that
     * has used the smaller share of its budget), each domain to its budget: neither domain is left
     * alone at the end of the mix.
     */
    List<Sample> union(long enBudget, long deBudget) {
        List<Sample> a = train(EN, enBudget);
        List<Sample> b = train(DE, deBudget);
        List<Sample> out = new ArrayList<>(a.size() + b.size());
        double aTotal = utf8Bytes(a);
        double bTotal = utf8Bytes(b);
        long aUsed = 0;
        long bUsed = 0;
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            boolean takeA = j == b.size() || (i < a.size() && aUsed / aTotal <= bUsed / bTotal);
            Sample next = takeA ? a.get(i++) : b.get(j++);
            long bytes = next.getText().getBytes(StandardCharsets.UTF_8).length;
            if (takeA) {
                aUsed += bytes;
            } else {
                bUsed += bytes;
            }
            out.add(next);
        }
        return out;
    }

    static long utf8Bytes(List<Sample> samples) {
        return samples.stream().mapToLong(s -> s.getText().getBytes(StandardCharsets.UTF_8).length).sum();
    }

    private Sample sample(String domain, String id, String text, Split split) {
        return Sample.newBuilder().setStream(stream).setTask(domain).setText(text).setSplit(split)
                .setSampleId(domain + "/" + id).build();
    }

    private static List<TextDocument> shuffled(List<TextDocument> docs, long seed) {
        List<TextDocument> copy = new ArrayList<>(docs);
        Collections.shuffle(copy, new Random(seed));
        return copy;
    }

    /** The largest character boundary at or before {@code at}. */
    private static int boundary(byte[] bytes, int at) {
        int i = Math.min(at, bytes.length);
        while (i > 0 && i < bytes.length && (bytes[i] & 0xC0) == 0x80) {
            i--;
        }
        return i;
    }

    /** The samples split after {@code bytes} UTF-8 bytes (a sample straddling the cut is cut at a character boundary). */
    static List<List<Sample>> cut(List<Sample> samples, long bytes) {
        List<Sample> head = new ArrayList<>();
        List<Sample> tail = new ArrayList<>();
        long seen = 0;
        for (Sample s : samples) {
            byte[] text = s.getText().getBytes(StandardCharsets.UTF_8);
            if (seen >= bytes) {
                tail.add(s);
            } else if (seen + text.length <= bytes) {
                head.add(s);
            } else {
                int at = boundary(text, (int) (bytes - seen));
                if (at > 0) {
                    head.add(withText(s, new String(text, 0, at, StandardCharsets.UTF_8), "#a"));
                }
                tail.add(withText(s, new String(text, at, text.length - at, StandardCharsets.UTF_8), "#b"));
            }
            seen += text.length;
        }
        return List.of(head, tail);
    }

    private static Sample withText(Sample s, String text, String idSuffix) {
        return Sample.newBuilder().setStream(s.getStream()).setTask(s.getTask()).setText(text).setSplit(s.getSplit())
                .setSampleId(s.getSampleId() + idSuffix).build();
    }
}
