package io.clpipe.predictor.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clpipe.predictor.engine.Query;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.InvalidSampleException;
import io.clpipe.schemas.RejectReason;
import io.clpipe.schemas.Rejection;
import io.clpipe.schemas.avro.PredictionRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Decodes a requests-topic value, JSON or Avro (a first byte below 0x09 is a format version, as on the
 * samples topic), into a {@link Request}, or rejects it with the reason the dead-letter record carries.
 * Checks what holds for any model (id, stream, exactly one of features/text, finite features, limits);
 * whether the input fits the stream's model is the scorer's check.
 */
final class RequestDecoder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AvroSerde<PredictionRequest> avro = AvroSerde.predictionRequest();
    private final PredictorServiceConfig config;

    RequestDecoder(PredictorServiceConfig config) {
        this.config = config;
    }

    /** @throws InvalidSampleException with the rejection (a DLQ reason) */
    Request decode(String key, byte[] value) {
        if (value == null || value.length == 0) {
            throw reject(RejectReason.UNPARSABLE, null, value == null ? "record has no value" : "record value is empty");
        }
        if (value.length > config.maxRequestBytes()) {
            throw reject(RejectReason.OVERSIZED, null, value.length + " bytes, the limit is " + config.maxRequestBytes()
                    + " (max.request.bytes)");
        }
        PredictionRequest r = value[0] >= 0 && value[0] < '\t' ? avro(value) : json(value);
        String stream = r.getStream() == null || r.getStream().isEmpty() ? key : r.getStream();
        if (stream == null || stream.isEmpty()) {
            throw reject(RejectReason.MISSING_FIELD, "stream", "no stream field and no record key");
        }
        if (key != null && !key.equals(stream)) {
            throw reject(RejectReason.KEY_MISMATCH, "stream", "record key '" + key + "' but stream '" + stream + "'");
        }
        if (r.getId() == null || r.getId().isEmpty()) {
            throw reject(RejectReason.MISSING_FIELD, "id", "a request needs an id");
        }
        int top = r.getTop() == null ? config.defaultTop() : r.getTop();
        if (top < 1) {
            throw reject(RejectReason.WRONG_TYPE, "top", "top must be >= 1, got " + top);
        }
        boolean hasFeatures = r.getFeatures() != null;
        boolean hasText = r.getText() != null;
        if (hasFeatures == hasText) {
            throw reject(hasFeatures ? RejectReason.BOTH_FEATURES_AND_TEXT : RejectReason.NO_FEATURES_OR_TEXT, null,
                    hasFeatures ? "give features or text, not both" : "give features (classifier) or text (language model)");
        }
        if (hasFeatures) {
            return new Request(stream, r.getId(), new Query.Features(features(r.getFeatures()), top));
        }
        int continuation = r.getContinuation() == null ? 0 : r.getContinuation();
        if (continuation < 0 || continuation > config.maxContinuation()) {
            throw reject(RejectReason.WRONG_TYPE, "continuation", "continuation must be 0.." + config.maxContinuation()
                    + " (max.continuation), got " + continuation);
        }
        if (r.getText().isEmpty()) {
            throw reject(RejectReason.EMPTY_TEXT, "text", "text is empty");
        }
        return new Request(stream, r.getId(), new Query.Text(r.getText().getBytes(StandardCharsets.UTF_8), top, continuation));
    }

    private static float[] features(List<Float> values) {
        if (values.isEmpty()) {
            throw reject(RejectReason.EMPTY_FEATURES, "features", "features is empty");
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            Float v = values.get(i);
            if (v == null) {
                throw reject(RejectReason.WRONG_TYPE, "features[" + i + "]", "features[" + i + "] is null");
            }
            if (!Float.isFinite(v)) {
                throw reject(RejectReason.NON_FINITE_FEATURE, "features[" + i + "]", "features[" + i + "] is " + v);
            }
            out[i] = v;
        }
        return out;
    }

    private PredictionRequest avro(byte[] value) {
        try {
            return avro.deserialize(value);
        } catch (SerializationException e) {
            throw reject(RejectReason.UNPARSABLE, null, e.getMessage());
        }
    }

    private static PredictionRequest json(byte[] value) {
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw reject(RejectReason.UNPARSABLE, null, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw reject(RejectReason.UNPARSABLE, null, "not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw reject(RejectReason.UNPARSABLE, null, "a request is a JSON object");
        }
        PredictionRequest.Builder b = PredictionRequest.newBuilder()
                .setStream(text(root, "stream", ""))
                .setId(id(root));
        JsonNode features = root.get("features");
        if (features != null && !features.isNull()) {
            if (!features.isArray()) {
                throw reject(RejectReason.WRONG_TYPE, "features", "features must be an array of numbers");
            }
            Float[] values = new Float[features.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode v = features.get(i);
                if (!v.isNumber()) {
                    throw reject(RejectReason.WRONG_TYPE, "features[" + i + "]", "features[" + i + "] is not a number");
                }
                values[i] = (float) v.doubleValue();
            }
            b.setFeatures(List.of(values));
        }
        b.setText(text(root, "text", null));
        b.setTop(integer(root, "top"));
        b.setContinuation(integer(root, "continuation"));
        return b.build();
    }

    private static String id(JsonNode root) {
        JsonNode v = root.get("id");
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual() && !v.isIntegralNumber()) {
            throw reject(RejectReason.WRONG_TYPE, "id", "id must be a string or an integer");
        }
        return v.asText();
    }

    private static String text(JsonNode root, String field, String fallback) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw reject(RejectReason.WRONG_TYPE, field, field + " must be a string");
        }
        return v.asText();
    }

    private static Integer integer(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw reject(RejectReason.WRONG_TYPE, field, field + " must be an integer");
        }
        return v.intValue();
    }

    private static InvalidSampleException reject(RejectReason reason, String field, String message) {
        return new InvalidSampleException(new Rejection(reason, field, message));
    }
}
