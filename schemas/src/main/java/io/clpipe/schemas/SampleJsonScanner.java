package io.clpipe.schemas;

import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The fast path of {@link SampleJson#parse}: one pass over the bytes of a sample written the common
 * way (the known fields once each, ASCII strings without escapes, plain numbers), features parsed
 * straight into a {@code float[]}. Jackson's tokenizer and number parser were most of ingest's time on
 * 784-float samples (docs/benchmarks.md, "Ingest").
 *
 * <p>It answers null for anything else — malformed JSON, unknown, duplicate or control fields, nulls,
 * escapes, non-ASCII bytes, numeric ids, a fractional label, ISO event times — and {@link SampleJson}
 * then parses with Jackson, which accepts or rejects with its own messages. So it never rejects, and
 * whatever it accepts Jackson would have read into an equal {@link Sample}.
 */
final class SampleJsonScanner {

    /** 10^0 … 10^22: exactly representable doubles (Clinger's fast path). */
    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private static final String[] FIELDS = {"stream", "task", "features", "text", "label", "split", "sample_id", "event_time",
        "ingest_time"};

    private final byte[] b;
    private int pos;
    /** The value of the last {@link #number()}. */
    private double parsed;

    private SampleJsonScanner(byte[] json) {
        this.b = json;
    }

    /** @return the sample, or null: take the general parser */
    static Sample tryParse(byte[] json) {
        return new SampleJsonScanner(json).object();
    }

    private Sample object() {
        if (!skipTo('{')) {
            return null;
        }
        Sample sample = new Sample();
        sample.setStream("");
        sample.setSampleId("");
        sample.setIngestTime(0L);
        int seen = 0;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return atEnd() ? sample : null;
        }
        while (true) {
            int field = fieldName();
            if (field < 0 || (seen & (1 << field)) != 0 || !skipTo(':')) {
                return null;
            }
            seen |= 1 << field;
            skipWhitespace();
            if (!value(sample, field)) {
                return null;
            }
            skipWhitespace();
            if (pos >= b.length) {
                return null;
            }
            byte c = b[pos++];
            if (c == '}') {
                return atEnd() ? sample : null;
            }
            if (c != ',') {
                return null;
            }
        }
    }

    /** Index in {@link #FIELDS}, or −1 (an unknown field, an escape, the end…). */
    private int fieldName() {
        String name = string();
        if (name == null) {
            return -1;
        }
        for (int i = 0; i < FIELDS.length; i++) {
            if (FIELDS[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private boolean value(Sample sample, int field) {
        switch (field) {
            case 0, 1, 3, 6 -> {
                String s = string();
                if (s == null) {
                    return false;
                }
                switch (field) {
                    case 0 -> sample.setStream(s);
                    case 1 -> sample.setTask(s.isEmpty() ? null : s);
                    case 3 -> sample.setText(s);
                    default -> sample.setSampleId(s);
                }
                return true;
            }
            case 2 -> {
                float[] features = features();
                sample.setFeatures(features == null ? null : new PackedFloats(features));
                return features != null;
            }
            case 4 -> {
                long label = integer(10);
                sample.setLabel((int) label);
                return label >= Integer.MIN_VALUE && label <= Integer.MAX_VALUE; // else Jackson names the range
            }
            case 5 -> {
                String s = string();
                Split split = s == null ? null : switch (s.toLowerCase(Locale.ROOT)) {
                    case "train" -> Split.TRAIN;
                    case "eval" -> Split.EVAL;
                    default -> null;
                };
                sample.setSplit(split);
                return split != null;
            }
            case 7 -> {
                long t = integer(18);
                sample.setEventTime(t);
                return t != Long.MIN_VALUE;
            }
            default -> {
                long t = integer(18);
                sample.setIngestTime(t);
                return t != Long.MIN_VALUE;
            }
        }
    }

    /** A string of printable ASCII without escapes; null otherwise. */
    private String string() {
        skipWhitespace();
        if (pos >= b.length || b[pos] != '"') {
            return null;
        }
        int start = ++pos;
        while (pos < b.length) {
            byte c = b[pos];
            if (c == '"') {
                String s = new String(b, start, pos - start, StandardCharsets.ISO_8859_1);
                pos++;
                return s;
            }
            if (c == '\\' || c < 0x20) { // an escape, a control character, or a non-ASCII byte (negative)
                return null;
            }
            pos++;
        }
        return null;
    }

    /** An integer of at most {@code maxDigits} digits with an optional '-', no fraction or exponent; Long.MIN_VALUE otherwise. */
    private long integer(int maxDigits) {
        boolean negative = pos < b.length && b[pos] == '-';
        if (negative) {
            pos++;
        }
        int start = pos;
        long v = 0;
        while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
            v = v * 10 + (b[pos++] - '0');
        }
        int digits = pos - start;
        if (digits == 0 || digits > maxDigits || (digits > 1 && b[start] == '0') || pos < b.length && isNumberPart(b[pos])) {
            return Long.MIN_VALUE;
        }
        return negative ? -v : v;
    }

    private float[] features() {
        if (pos >= b.length || b[pos] != '[') {
            return null;
        }
        pos++;
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new float[0];
        }
        // Every number but the last takes at least two bytes (a digit and a comma): one array that never grows.
        float[] values = new float[(b.length - pos + 1) / 2];
        int n = 0;
        while (true) {
            skipWhitespace();
            if (!number()) {
                return null;
            }
            values[n++] = (float) parsed;
            skipWhitespace();
            if (pos >= b.length) {
                return null;
            }
            byte c = b[pos++];
            if (c == ']') {
                return n == values.length ? values : Arrays.copyOf(values, n);
            }
            if (c != ',') {
                return null;
            }
        }
    }

    /**
     * A JSON number ({@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}) into {@link #parsed}, as Double.parseDouble reads
     * it: exactly by Clinger's fast path when the digits fit in 2^53 and the power of ten is exact, else by the JDK.
     */
    private boolean number() {
        int start = pos;
        boolean negative = pos < b.length && b[pos] == '-';
        if (negative) {
            pos++;
        }
        long mantissa = 0;
        int significant = 0;
        int intStart = pos;
        while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
            mantissa = accumulate(mantissa, b[pos++]);
            significant += mantissa == 0 ? 0 : 1;
        }
        int intDigits = pos - intStart;
        if (intDigits == 0 || intDigits > 1 && b[intStart] == '0') {
            return false;
        }
        int scale = 0;
        if (pos < b.length && b[pos] == '.') {
            pos++;
            int fracStart = pos;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                mantissa = accumulate(mantissa, b[pos++]);
                significant += mantissa == 0 ? 0 : 1;
                scale--;
            }
            if (pos == fracStart) {
                return false;
            }
        }
        int exponent = 0;
        if (pos < b.length && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            boolean negativeExponent = pos < b.length && b[pos] == '-';
            if (pos < b.length && (b[pos] == '-' || b[pos] == '+')) {
                pos++;
            }
            int expStart = pos;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                exponent = Math.min(exponent * 10 + (b[pos++] - '0'), 100_000);
            }
            if (pos == expStart) {
                return false;
            }
            exponent = negativeExponent ? -exponent : exponent;
        }
        if (pos < b.length && isNumberPart(b[pos])) {
            return false;
        }
        int power = scale + exponent;
        if (mantissa == 0 && scale == 0 && pos - start == intDigits + (negative ? 1 : 0)) {
            parsed = 0.0; // the integer -0: Jackson reads an integer token as a long, which has no negative zero
        } else if (significant <= 15 && mantissa >= 0 && Math.abs(power) < POWERS_OF_TEN.length) {
            double m = mantissa;
            double value = power >= 0 ? m * POWERS_OF_TEN[power] : m / POWERS_OF_TEN[-power];
            parsed = negative ? -value : value;
        } else {
            parsed = Double.parseDouble(new String(b, start, pos - start, StandardCharsets.ISO_8859_1));
        }
        return true;
    }

    /** mantissa·10 + digit while it stays below 10^15 (exact); negative once it would not (the slow path then). */
    private static long accumulate(long mantissa, byte digit) {
        if (mantissa < 0 || mantissa >= 100_000_000_000_000L) {
            return -1;
        }
        return mantissa * 10 + (digit - '0');
    }

    private static boolean isNumberPart(byte c) {
        return c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    }

    private int peek() {
        return pos < b.length ? b[pos] : -1;
    }

    private boolean skipTo(char expected) {
        skipWhitespace();
        if (pos < b.length && b[pos] == expected) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (pos < b.length && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
            pos++;
        }
    }

    private boolean atEnd() {
        skipWhitespace();
        return pos == b.length;
    }
}
