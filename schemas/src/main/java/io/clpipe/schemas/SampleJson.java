package io.clpipe.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The JSON form of a {@link Sample} on the samples topic: one object with snake_case fields
 * ({@code stream, task, features, text, label, split, sample_id, event_time, ingest_time}); the
 * mapping is documented in {@code docs/records.md}.
 *
 * <p>Parsing is a single streaming pass (no tree) and reports the first problem as an
 * {@link InvalidSampleException} naming the field. It checks JSON types only; value rules (dimension,
 * label range, NaN, empty text) belong to {@link SampleValidator}. Absent stream and sample_id come back
 * as {@code ""}, absent ingest_time as 0: the validator fills them in.
 */
public final class SampleJson {

    // NaN/Infinity tokens are accepted so that Python's json.dumps output is rejected as a
    // non-finite feature (with its index) rather than as unparsable.
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Jackson's FastDoubleParser: correctly rounded like Double.parseDouble, several times faster
            // (the JDK's parser was half of ingest's time on 784-float samples; docs/benchmarks.md, "Ingest").
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private SampleJson() {
    }

    /** @throws InvalidSampleException with reason UNPARSABLE, WRONG_TYPE or UNKNOWN_SPLIT */
    public static Sample parse(byte[] json) {
        Sample common = SampleJsonScanner.tryParse(json); // null for anything but the common shape
        return common != null ? common : parseGeneral(json);
    }

    /** Jackson's parse, for every input: what {@link SampleJsonScanner} must agree with. */
    static Sample parseGeneral(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            return new Reader(parser).read();
        } catch (StreamReadException e) {
            throw unparsable("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw unparsable("unreadable JSON: " + e.getMessage());
        }
    }

    /**
     * The top-level {@code stream} field of a JSON value, or {@code ""} when it is absent, not an
     * identifier or the JSON is malformed (the full parse then names the fault). One streaming pass
     * that skips every other value without converting it: much cheaper than {@link #parse}.
     */
    public static String streamOf(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "";
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("stream")) {
                    return value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT ? p.getText() : "";
                }
                p.skipChildren();
            }
            return "";
        } catch (IOException e) {
            return "";
        }
    }

    /** One line of JSON; null and empty optional fields are left out. */
    public static byte[] write(Sample sample) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("stream", sample.getStream());
            writeIfPresent(g, "task", sample.getTask());
            List<Float> features = sample.getFeatures();
            if (features != null) {
                g.writeArrayFieldStart("features");
                for (float f : Features.toArray(features)) {
                    g.writeNumber(f);
                }
                g.writeEndArray();
            }
            writeIfPresent(g, "text", sample.getText());
            if (sample.getLabel() != null) {
                g.writeNumberField("label", sample.getLabel());
            }
            if (sample.getSplit() != null) {
                g.writeStringField("split", sample.getSplit().name().toLowerCase(Locale.ROOT));
            }
            writeIfPresent(g, "sample_id", sample.getSampleId());
            if (sample.getEventTime() != null) {
                g.writeNumberField("event_time", sample.getEventTime());
            }
            if (sample.getIngestTime() != 0) {
                g.writeNumberField("ingest_time", sample.getIngestTime());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes with {@link #write}, reads with {@link #parse}; null is a tombstone both ways. */
    public static Serde<Sample> serde() {
        return Serdes.serdeFrom(
                (topic, sample) -> sample == null ? null : write(sample),
                (topic, bytes) -> bytes == null ? null : parse(bytes));
    }

    private static void writeIfPresent(JsonGenerator g, String field, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeStringField(field, value);
        }
    }

    private static InvalidSampleException unparsable(String message) {
        return new InvalidSampleException(new Rejection(RejectReason.UNPARSABLE, null, message));
    }

    /**
     * State of one parse. The first type problem is remembered and the rest of the input still read,
     * so that malformed JSON is reported as UNPARSABLE whatever field comes first.
     */
    private static final class Reader {
        private final JsonParser p;
        private final Sample sample = new Sample();
        private Rejection problem;
        /** A "control" field: a control record (ControlJson), which must have neither features nor text. */
        private boolean control;

        Reader(JsonParser parser) {
            this.p = parser;
            sample.setStream("");
            sample.setSampleId("");
            sample.setIngestTime(0L);
        }

        Sample read() throws IOException {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw unparsable("empty record: expected a JSON object");
            }
            if (first != JsonToken.START_OBJECT) {
                throw unparsable("expected a JSON object, got " + describe(first));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "stream" -> sample.setStream(orEmpty(id(field, value)));
                    case "task" -> sample.setTask(id(field, value));
                    case "features" -> sample.setFeatures(features(value));
                    case "text" -> sample.setText(text(value));
                    case "label" -> sample.setLabel(label(value));
                    case "split" -> sample.setSplit(split(value));
                    case "sample_id" -> sample.setSampleId(orEmpty(id(field, value)));
                    case "event_time" -> sample.setEventTime(eventTime(value));
                    case "ingest_time" -> {
                        Long ingestTime = ingestTime(value); // null with a problem noted (a wrong type)
                        sample.setIngestTime(ingestTime == null ? 0L : ingestTime);
                    }
                    case "control" -> {
                        control = true;
                        p.skipChildren();
                    }
                    default -> p.skipChildren(); // unknown fields are ignored: newer producers may add some
                }
            }
            if (p.nextToken() != null) {
                throw unparsable("trailing content after the JSON object");
            }
            if (problem == null && control && (sample.getFeatures() != null || sample.getText() != null)) {
                problem = new Rejection(RejectReason.BAD_CONTROL, "control",
                        "a control record (field 'control') carries no features or text; send the sample and the control separately");
            }
            if (problem != null) {
                throw new InvalidSampleException(problem);
            }
            return sample;
        }

        /** Identifiers: strings, or integers taken as their decimal text; "" means absent. */
        private String id(String field, JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
                String s = p.getText();
                return s.isEmpty() ? null : s;
            }
            return t == JsonToken.VALUE_NULL ? null : wrongType(field, "a string", t);
        }

        private List<Float> features(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.START_ARRAY) {
                return wrongType("features", "an array of numbers", t);
            }
            float[] values = new float[64];
            int n = 0;
            for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                if (n == values.length) {
                    values = Arrays.copyOf(values, 2 * n);
                }
                if (e == JsonToken.VALUE_NUMBER_FLOAT || e == JsonToken.VALUE_NUMBER_INT) {
                    // Through double so that out-of-range values become ±Infinity, reported by the validator.
                    values[n++] = (float) p.getDoubleValue();
                } else {
                    wrongType("features[" + n + "]", "a number", e);
                    values[n++] = Float.NaN; // keeps later indices right
                }
            }
            return new PackedFloats(n == values.length ? values : Arrays.copyOf(values, n));
        }

        private String text(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            return t == JsonToken.VALUE_NULL ? null : wrongType("text", "a string", t);
        }

        private Integer label(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                return wrongType("label", "an integer class index", t);
            }
            double d = p.getDoubleValue();
            if (t == JsonToken.VALUE_NUMBER_FLOAT && d != Math.rint(d)) {
                return wrongType("label", "an integer class index", t);
            }
            if (d < Integer.MIN_VALUE || d > Integer.MAX_VALUE || Double.isNaN(d)) {
                return problem(RejectReason.LABEL_OUT_OF_RANGE, "label",
                        "field 'label' is " + p.getText() + ", outside the 32-bit integer range");
            }
            return (int) d;
        }

        private Split split(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.VALUE_STRING) {
                return wrongType("split", "\"train\" or \"eval\"", t);
            }
            return switch (p.getText().toLowerCase(Locale.ROOT)) {
                case "train" -> Split.TRAIN;
                case "eval" -> Split.EVAL;
                default -> problem(RejectReason.UNKNOWN_SPLIT, "split",
                        "field 'split' must be \"train\" or \"eval\", got \"" + abbreviate(p.getText()) + "\"");
            };
        }

        private Long eventTime(JsonToken t) throws IOException {
            String expected = "epoch milliseconds or an ISO-8601 instant such as \"2024-05-01T12:00:00Z\"";
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return p.getLongValue();
            }
            if (t == JsonToken.VALUE_STRING) {
                try {
                    return Instant.parse(p.getText()).toEpochMilli();
                } catch (DateTimeParseException | ArithmeticException e) {
                    return wrongType("event_time", expected, t);
                }
            }
            return wrongType("event_time", expected, t);
        }

        private Long ingestTime(JsonToken t) throws IOException {
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                return p.getLongValue();
            }
            return t == JsonToken.VALUE_NULL ? 0L : wrongType("ingest_time", "epoch milliseconds", t);
        }

        private <T> T wrongType(String field, String expected, JsonToken actual) throws IOException {
            String got = describe(actual);
            if (actual.isScalarValue() && actual != JsonToken.VALUE_NULL) {
                got += " " + (actual == JsonToken.VALUE_STRING ? "\"" + abbreviate(p.getText()) + "\"" : p.getText());
            }
            if (actual.isStructStart()) {
                p.skipChildren();
            }
            return problem(RejectReason.WRONG_TYPE, field, "field '" + field + "' must be " + expected + ", got " + got);
        }

        private <T> T problem(RejectReason reason, String field, String message) {
            if (problem == null) {
                problem = new Rejection(reason, field, message);
            }
            return null;
        }

        private static String orEmpty(String s) {
            return s == null ? "" : s;
        }

        private static String abbreviate(String s) {
            return s.length() <= 40 ? s : s.substring(0, 37) + "...";
        }

        private static String describe(JsonToken t) {
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT -> "the integer";
                case VALUE_NUMBER_FLOAT -> "the number";
                case VALUE_TRUE, VALUE_FALSE -> "the boolean";
                case VALUE_NULL -> "null";
                default -> t.name();
            };
        }
    }
}
