package io.clpipe.schemas;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.MetricDirection;
import io.clpipe.schemas.avro.ScoreMatrix;
import io.clpipe.schemas.avro.SkippedVersions;
import io.clpipe.schemas.avro.TaskMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The JSON form of {@link IterationMetrics} on the metrics topic: one line per evaluated iteration,
 * snake_case fields, maps in their iteration order. Non-finite numbers (an undefined min_acc, a
 * diverged loss) are written as {@code null}, which standard JSON readers accept; they read back as
 * NaN in {@code aggregates} and as null in {@code tasks}.
 */
public final class MetricsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Version of the JSON format ({@code version}, first field): raised only by a change that breaks readers. */
    public static final int FORMAT_VERSION = 1;

    private MetricsJson() {
    }

    public static byte[] write(IterationMetrics metrics) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", FORMAT_VERSION);
            g.writeStringField("stream", metrics.getStream());
            g.writeNumberField("iteration", metrics.getIteration());
            if (metrics.getTask() != null) {
                g.writeStringField("task", metrics.getTask());
            }
            g.writeNumberField("timestamp", metrics.getTimestamp());
            g.writeStringField("direction", metrics.getDirection().name().toLowerCase(Locale.ROOT));
            g.writeObjectFieldStart("tasks");
            for (Map.Entry<String, TaskMetrics> task : metrics.getTasks().entrySet()) {
                g.writeObjectFieldStart(task.getKey());
                writeNumber(g, "accuracy", task.getValue().getAccuracy());
                writeNumber(g, "loss", task.getValue().getLoss());
                g.writeNumberField("samples", task.getValue().getSamples());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("aggregates");
            for (Map.Entry<String, Double> aggregate : metrics.getAggregates().entrySet()) {
                writeNumber(g, aggregate.getKey(), aggregate.getValue());
            }
            g.writeEndObject();
            if (metrics.getScoreMatrix() != null) {
                writeMatrix(g, metrics.getScoreMatrix());
            }
            if (metrics.getSkippedVersions() != null) {
                writeSkipped(g, metrics.getSkippedVersions());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @throws SerializationException naming the field that is missing or mistyped */
    public static IterationMetrics parse(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new SerializationException("metrics JSON is malformed: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SerializationException("metrics JSON must be an object");
        }
        Map<String, TaskMetrics> tasks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(root, "tasks").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> task = it.next();
            String prefix = "tasks." + task.getKey() + ".";
            tasks.put(task.getKey(), new TaskMetrics(
                    optionalNumber(task.getValue().get("accuracy"), prefix + "accuracy"),
                    optionalNumber(task.getValue().get("loss"), prefix + "loss"),
                    integer(task.getValue(), "samples", prefix + "samples")));
        }
        Map<String, Double> aggregates = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(root, "aggregates").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> aggregate = it.next();
            Double value = optionalNumber(aggregate.getValue(), "aggregates." + aggregate.getKey());
            aggregates.put(aggregate.getKey(), value == null ? Double.NaN : value);
        }
        JsonNode task = root.get("task");
        JsonNode matrix = root.get("accuracy_matrix");
        JsonNode skipped = root.get("skipped_versions");
        return new IterationMetrics(
                text(root.get("stream"), "stream"),
                integer(root, "iteration", "iteration"),
                task == null || task.isNull() ? null : text(task, "task"),
                tasks,
                aggregates,
                direction(root.get("direction")),
                integer(root, "timestamp", "timestamp"),
                matrix == null || matrix.isNull() ? null : matrix(matrix),
                skipped == null || skipped.isNull() ? null : skipped(skipped));
    }

    private static void writeSkipped(JsonGenerator g, SkippedVersions s) throws IOException {
        g.writeObjectFieldStart("skipped_versions");
        g.writeNumberField("count", s.getCount());
        g.writeNumberField("first", s.getFirst());
        g.writeNumberField("last", s.getLast());
        if (s.getVersions() != null) {
            g.writeArrayFieldStart("versions");
            for (long v : s.getVersions()) {
                g.writeNumber(v);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static SkippedVersions skipped(JsonNode node) {
        if (!node.isObject()) {
            throw new SerializationException("metrics JSON: field 'skipped_versions' must be an object");
        }
        JsonNode listed = node.get("versions");
        List<Long> versions = null;
        if (listed != null && !listed.isNull()) {
            if (!listed.isArray()) {
                throw new SerializationException("metrics JSON: field 'skipped_versions.versions' must be an array");
            }
            versions = new ArrayList<>(listed.size());
            for (JsonNode v : listed) {
                if (!v.canConvertToExactIntegral() || !v.canConvertToLong()) {
                    throw new SerializationException("metrics JSON: field 'skipped_versions.versions' must hold integers");
                }
                versions.add(v.asLong());
            }
        }
        return new SkippedVersions(integer(node, "count", "skipped_versions.count"), integer(node, "first", "skipped_versions.first"),
                integer(node, "last", "skipped_versions.last"), versions);
    }

    private static void writeMatrix(JsonGenerator g, ScoreMatrix m) throws IOException {
        g.writeObjectFieldStart("accuracy_matrix");
        g.writeArrayFieldStart("tasks");
        for (String t : m.getTasks()) {
            g.writeString(t);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("initial");
        writeCells(g, m.getInitial());
        g.writeEndArray();
        g.writeArrayFieldStart("rows");
        for (List<Double> row : m.getRows()) {
            g.writeStartArray();
            writeCells(g, row);
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeCells(JsonGenerator g, List<Double> cells) throws IOException {
        for (Double v : cells) {
            if (v == null || !Double.isFinite(v)) {
                g.writeNull();
            } else {
                g.writeNumber(v);
            }
        }
    }

    private static ScoreMatrix matrix(JsonNode node) {
        if (!node.isObject()) {
            throw new SerializationException("metrics JSON: field 'accuracy_matrix' must be an object");
        }
        JsonNode tasksNode = node.get("tasks");
        if (tasksNode == null || !tasksNode.isArray()) {
            throw new SerializationException("metrics JSON: field 'accuracy_matrix.tasks' must be an array");
        }
        List<String> tasks = new ArrayList<>();
        tasksNode.forEach(t -> tasks.add(text(t, "accuracy_matrix.tasks")));
        List<Double> initial = cells(node.get("initial"), tasks.size(), "accuracy_matrix.initial");
        JsonNode rowsNode = node.get("rows");
        if (rowsNode == null || !rowsNode.isArray() || rowsNode.size() > tasks.size()) {
            throw new SerializationException("metrics JSON: field 'accuracy_matrix.rows' must be an array of at most one row per task");
        }
        List<List<Double>> rows = new ArrayList<>();
        for (int i = 0; i < rowsNode.size(); i++) {
            rows.add(cells(rowsNode.get(i), tasks.size(), "accuracy_matrix.rows[" + i + "]"));
        }
        return new ScoreMatrix(tasks, initial, rows);
    }

    private static List<Double> cells(JsonNode node, int size, String field) {
        if (node == null || !node.isArray() || node.size() != size) {
            throw new SerializationException("metrics JSON: field '" + field + "' must be an array of " + size + " numbers or nulls");
        }
        List<Double> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(optionalNumber(node.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    public static Serde<IterationMetrics> serde() {
        return Serdes.serdeFrom(
                (topic, metrics) -> metrics == null ? null : write(metrics),
                (topic, bytes) -> bytes == null ? null : parse(bytes));
    }

    private static void writeNumber(JsonGenerator g, String field, Double value) throws IOException {
        if (value == null || !Double.isFinite(value)) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw new SerializationException("metrics JSON: field '" + field + "' must be an object");
        }
        return node;
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isTextual()) {
            throw new SerializationException("metrics JSON: field '" + field + "' must be a string");
        }
        return node.asText();
    }

    private static long integer(JsonNode parent, String name, String field) {
        JsonNode node = parent.get(name);
        if (node == null || !node.canConvertToExactIntegral() || !node.canConvertToLong()) {
            throw new SerializationException("metrics JSON: field '" + field + "' must be an integer");
        }
        return node.asLong();
    }

    private static Double optionalNumber(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw new SerializationException("metrics JSON: field '" + field + "' must be a number or null");
        }
        return node.asDouble();
    }

    private static MetricDirection direction(JsonNode node) {
        String value = text(node, "direction");
        for (MetricDirection d : MetricDirection.values()) {
            if (d.name().equalsIgnoreCase(value)) {
                return d;
            }
        }
        throw new SerializationException("metrics JSON: field 'direction' must be higher_is_better or lower_is_better, got \""
                + value + "\"");
    }
}
