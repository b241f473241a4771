package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.MetricDirection;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import io.clpipe.schemas.avro.ScoreMatrix;
import io.clpipe.schemas.avro.SkippedVersions;
import io.clpipe.schemas.avro.TaskMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * schemas/json/*.schema.json (JSON Schema 2020-12) against records written by the code that writes
 * them to Kafka ({@link SampleJson#write}, {@link MetricsJson#write}), and against records ingest
 * refuses.
 */
class JsonSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonSchema schema(String file) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("json", file))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    static Set<ValidationMessage> validate(JsonSchema schema, byte[] json) throws IOException {
        return schema.validate(JSON.readTree(json));
    }

    @Test
    void samplesWrittenBySampleJsonAndTheDocumentedExamplesValidate() throws IOException {
        JsonSchema schema = schema("sample.schema.json");
        float[] pixels = new float[784];
        pixels[100] = 0.5f;
        pixels[783] = 1f;
        List<Sample> samples = List.of(
                Sample.newBuilder().setStream("digits").setTask("0-1").setFeatures(Features.of(pixels)).setLabel(1).build(),
                Sample.newBuilder().setStream("digits").setFeatures(Features.of(0f, 0.5f, 1f)).setLabel(7).setSplit(Split.EVAL)
                        .setSampleId("test-0042").setEventTime(1714564800000L).build(),
                Sample.newBuilder().setStream("manpages").setTask("en").setText("NAME\n       ls - list directory contents\n").build(),
                Sample.newBuilder().setStream("mnist").setFeatures(Features.of(0f, 0.5f, 1f)).setLabel(1)
                        .setSampleId("clpipe.samples:0:17").setIngestTime(1714564800123L).build());
        for (Sample s : samples) {
            byte[] json = SampleJson.write(s);
            assertThat(validate(schema, json)).as(new String(json, StandardCharsets.UTF_8)).isEmpty();
        }
        for (String doc : List.of("{\"stream\":\"mnist\",\"task\":\"digits-0-1\",\"features\":[0.0,0.5,1.0],\"label\":1}",
                "{\"stream\":\"mnist\",\"features\":[0.0,0.5,1.0],\"label\":7,\"split\":\"eval\",\"sample_id\":\"test-0042\"}",
                "{\"stream\":\"manpages\",\"task\":\"en\",\"text\":\"NAME\\n ls\",\"event_time\":\"2024-05-01T12:00:00Z\"}",
                "{\"features\":[1],\"label\":3.0,\"split\":\"TRAIN\",\"future_field\":true}")) {
            byte[] json = doc.getBytes(StandardCharsets.UTF_8);
            SampleJson.parse(json); // ingest parses it
            assertThat(validate(schema, json)).as(doc).isEmpty();
        }
    }

    @Test
    void samplesIngestRejectsFailTheSchema() throws IOException {
        JsonSchema schema = schema("sample.schema.json");
        Map<String, String> invalid = new LinkedHashMap<>();
        invalid.put("features and text", "{\"stream\":\"s\",\"features\":[1],\"label\":1,\"text\":\"x\"}");
        invalid.put("neither", "{\"stream\":\"s\",\"label\":1}");
        invalid.put("features without label", "{\"stream\":\"s\",\"features\":[1]}");
        invalid.put("empty features", "{\"stream\":\"s\",\"features\":[],\"label\":1}");
        invalid.put("beyond float32", "{\"stream\":\"s\",\"features\":[1e39],\"label\":1}");
        invalid.put("negative label", "{\"stream\":\"s\",\"features\":[1],\"label\":-1}");
        invalid.put("fractional label", "{\"stream\":\"s\",\"features\":[1],\"label\":1.5}");
        invalid.put("unknown split", "{\"stream\":\"s\",\"features\":[1],\"label\":1,\"split\":\"test\"}");
        invalid.put("label as text", "{\"stream\":\"s\",\"features\":[1],\"label\":\"3\"}");
        invalid.put("empty text", "{\"stream\":\"s\",\"text\":\"\"}");
        invalid.put("not an object", "[1,2]");
        invalid.forEach((why, doc) -> {
            try {
                assertThat(validate(schema, doc.getBytes(StandardCharsets.UTF_8))).as("%s: %s", why, doc).isNotEmpty();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void metricsWrittenByMetricsJsonValidateAndCarryTheFormatVersion() throws IOException {
        JsonSchema schema = schema("iteration-metrics.schema.json");
        Map<String, TaskMetrics> tasks = new LinkedHashMap<>();
        tasks.put("0-1", new TaskMetrics(0.42, 1.5, 1000L));
        tasks.put("2-3", new TaskMetrics(null, Double.NaN, 0L));
        Map<String, Double> aggregates = new LinkedHashMap<>();
        aggregates.put(MetricKeys.ACC, 0.695);
        aggregates.put(MetricKeys.MIN_ACC, Double.NaN);
        aggregates.put("gap_depth.0-1", 0.52);
        ScoreMatrix matrix = new ScoreMatrix(List.of("0-1", "2-3"), Arrays.asList(0.1, null),
                List.of(Arrays.asList(0.99, 0.0), Arrays.asList(0.42, 0.97)));
        IterationMetrics m = new IterationMetrics("digits", 2351L, "2-3", tasks, aggregates, MetricDirection.HIGHER_IS_BETTER,
                1700000000000L, matrix, null);
        byte[] json = MetricsJson.write(m);
        assertThat(validate(schema, json)).as(new String(json, StandardCharsets.UTF_8)).isEmpty();
        JsonNode tree = JSON.readTree(json);
        assertThat(tree.path("version").asInt()).isEqualTo(MetricsJson.FORMAT_VERSION).isEqualTo(1);
        assertThat(tree.fieldNames().next()).isEqualTo("version");
        assertThat(MetricsJson.parse(json)).isEqualTo(MetricsJson.parse(MetricsJson.write(MetricsJson.parse(json))));

        IterationMetrics taskFree = new IterationMetrics("text", 0L, null, Map.of(), Map.of(), MetricDirection.LOWER_IS_BETTER, 1L, null, null);
        assertThat(validate(schema, MetricsJson.write(taskFree))).isEmpty();

        IterationMetrics thinned = new IterationMetrics("digits", 2351L, "2-3", tasks, aggregates, MetricDirection.HIGHER_IS_BETTER,
                1700000000000L, null, new SkippedVersions(3L, 2340L, 2350L, List.of(2340L, 2345L, 2350L)));
        byte[] thinnedJson = MetricsJson.write(thinned);
        assertThat(validate(schema, thinnedJson)).as(new String(thinnedJson, StandardCharsets.UTF_8)).isEmpty();
        IterationMetrics longRun = new IterationMetrics("digits", 2351L, "2-3", tasks, aggregates, MetricDirection.HIGHER_IS_BETTER,
                1700000000000L, null, new SkippedVersions(500L, 1000L, 2350L, null));
        assertThat(validate(schema, MetricsJson.write(longRun))).isEmpty();
        JsonNode noCount = JSON.readTree(thinnedJson);
        ((com.fasterxml.jackson.databind.node.ObjectNode) noCount.get("skipped_versions")).remove("count");
        assertThat(schema.validate(noCount)).as("skipped_versions without count").isNotEmpty();

        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).remove("version");
        assertThat(schema.validate(tree)).as("a record without version").isNotEmpty();
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).put("version", 1).put("direction", "sideways");
        assertThat(schema.validate(tree)).as("an unknown direction").isNotEmpty();
    }
}
