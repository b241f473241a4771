package io.clpipe.predictor.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clpipe.predictor.engine.Scored;
import java.nio.charset.StandardCharsets;

/**
 * The JSON value of a predictions-topic record (docs/records.md): one object per answered request,
 * readable with {@code kafka-console-consumer}.
 */
final class PredictionJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PredictionJson() {
    }

    /** Where a request was read: its record's coordinates and timestamp. */
    record Source(String topic, int partition, long offset, long timestamp) {
    }

    /** A request answered by {@code version} of its stream's model. */
    static byte[] answer(Request request, long version, String task, Scored scored, boolean languageModel, Source source,
                         long now) {
        ObjectNode o = head(request, source, now);
        o.put("version", version);
        o.put("task", task);
        o.put("predicted", scored.predicted());
        o.put("probability", scored.probability());
        ArrayNode top = o.putArray("top");
        for (Scored.ClassProbability c : scored.top()) {
            top.addObject().put("label", c.label()).put("probability", c.probability());
        }
        if (languageModel) {
            o.put("next", new String(new byte[] {(byte) scored.predicted()}, StandardCharsets.ISO_8859_1));
            if (scored.continuation().length > 0) {
                o.put("continuation", new String(scored.continuation(), StandardCharsets.UTF_8));
            }
        }
        o.putNull("error");
        return bytes(o);
    }

    /** A well-formed request that cannot be answered (no model for its stream yet). */
    static byte[] error(Request request, String message, Source source, long now) {
        ObjectNode o = head(request, source, now);
        o.putNull("version");
        o.put("error", message);
        return bytes(o);
    }

    private static ObjectNode head(Request request, Source source, long now) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", request.id());
        o.put("stream", request.stream());
        o.put("latencyMs", Math.max(0, now - source.timestamp()));
        o.put("requestTimestamp", source.timestamp());
        o.put("timestamp", now);
        o.put("source", source.topic() + "-" + source.partition() + "@" + source.offset());
        return o;
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a prediction as JSON", e);
        }
    }
}
