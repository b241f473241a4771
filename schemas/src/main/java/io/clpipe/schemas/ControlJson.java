package io.clpipe.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The JSON form of a user's control event (docs/records.md, "Control events"), for kcat and other
 * clients that do not write Avro:
 * <pre>
 * {"stream":"s","control":"task-start","task":"b","reason":"new supplier"}   → TASK_START (samples topic)
 * {"stream":"s","control":"anneal","reason":"deploy"}                        → ANNEAL_REQUEST (control topic)
 * </pre>
 * {@code task} and {@code reason} are optional; the event's source is {@code user}. An object without
 * a {@code control} field is no control event.
 */
public final class ControlJson {

    public static final String TASK_START = "task-start";
    public static final String ANNEAL = "anneal";

    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private ControlJson() {
    }

    /** True when a value is not Avro-framed ({@link SampleDecoder}'s rule), so it may be JSON. */
    public static boolean maybeJson(byte[] value) {
        return value != null && value.length > 0 && !(value[0] >= 0 && value[0] < '\t');
    }

    /**
     * @param key the record key, the stream when the value names none
     * @param now the event's timestamp, epoch milliseconds
     * @return empty when the value is a JSON object without a {@code control} field
     * @throws InvalidSampleException with reason UNPARSABLE (not JSON) or BAD_CONTROL (a control field that is wrong)
     */
    public static Optional<ControlEvent> parse(byte[] value, String key, long now) {
        String stream = null;
        String control = null;
        String task = null;
        String reason = null;
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidSampleException(new Rejection(RejectReason.UNPARSABLE, null, "expected a JSON object"));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "stream" -> stream = text(p, t, field);
                    case "control" -> control = text(p, t, field);
                    case "task" -> task = text(p, t, field);
                    case "reason" -> reason = text(p, t, field);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new InvalidSampleException(new Rejection(RejectReason.UNPARSABLE, null, "malformed JSON: " + e.getMessage()));
        }
        if (control == null) {
            return Optional.empty();
        }
        ControlType type = switch (control) {
            case TASK_START -> ControlType.TASK_START;
            case ANNEAL -> ControlType.ANNEAL_REQUEST;
            default -> throw bad("control", "field 'control' must be \"" + TASK_START + "\" or \"" + ANNEAL + "\", got \"" + control + "\"");
        };
        if (stream == null || stream.isEmpty()) {
            stream = key;
        } else if (key != null && !key.isEmpty() && !key.equals(stream)) {
            throw new InvalidSampleException(new Rejection(RejectReason.KEY_MISMATCH, "stream",
                    "field 'stream' is \"" + stream + "\" but the record key is \"" + key + "\""));
        }
        if (stream == null || stream.isEmpty()) {
            throw new InvalidSampleException(new Rejection(RejectReason.MISSING_FIELD, "stream",
                    "field 'stream' is missing and the record has no key"));
        }
        if (type == ControlType.ANNEAL_REQUEST && task != null) {
            throw bad("task", "an anneal request names no task");
        }
        return Optional.of(ControlEvent.newBuilder().setStream(stream).setType(type).setTask(task).setReason(reason)
                .setSource("user").setTimestamp(now).build());
    }

    /** One line of JSON for a TASK_START or ANNEAL_REQUEST event (other types have no JSON form). */
    public static byte[] write(ControlEvent event) {
        String control = switch (event.getType()) {
            case TASK_START -> TASK_START;
            case ANNEAL_REQUEST -> ANNEAL;
            default -> throw new IllegalArgumentException(event.getType() + " has no JSON form");
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("stream", event.getStream());
            g.writeStringField("control", control);
            if (event.getTask() != null) {
                g.writeStringField("task", event.getTask());
            }
            if (event.getReason() != null) {
                g.writeStringField("reason", event.getReason());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String text(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT) {
            throw bad(field, "field '" + field + "' must be a string");
        }
        String s = p.getText();
        return s.isEmpty() ? null : s;
    }

    private static InvalidSampleException bad(String field, String message) {
        return new InvalidSampleException(new Rejection(RejectReason.BAD_CONTROL, field, message));
    }
}
