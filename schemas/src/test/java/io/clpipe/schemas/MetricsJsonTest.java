package io.clpipe.schemas;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.MetricDirection;
import io.clpipe.schemas.avro.ScoreMatrix;
import io.clpipe.schemas.avro.SkippedVersions;
import io.clpipe.schemas.avro.TaskMetrics;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class MetricsJsonTest {

    private static final String JSON = "{\"version\":1,\"stream\":\"mnist\",\"iteration\":2351,\"task\":\"t1\",\"timestamp\":1700000000000,"
            + "\"direction\":\"higher_is_better\","
            + "\"tasks\":{\"t0\":{\"accuracy\":0.42,\"loss\":1.5,\"samples\":1000},\"t1\":{\"accuracy\":0.97,\"loss\":null,\"samples\":1000}},"
            + "\"aggregates\":{\"acc\":0.695,\"min_acc\":null,\"wc_acc\":0.5}}";

    @Test
    void writesOneLineOfSnakeCaseJsonWithNonFiniteAsNull() {
        String json = new String(MetricsJson.write(metrics()), UTF_8);

        assertThat(json).isEqualTo(JSON).doesNotContain("\n");
    }

    @Test
    void parsesItsOwnOutputBack() {
        IterationMetrics back = MetricsJson.parse(JSON.getBytes(UTF_8));

        assertThat(back.getStream()).isEqualTo("mnist");
        assertThat(back.getIteration()).isEqualTo(2351L);
        assertThat(back.getTask()).isEqualTo("t1");
        assertThat(back.getTimestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(back.getDirection()).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(back.getTasks()).containsExactly(
                Map.entry("t0", new TaskMetrics(0.42, 1.5, 1000L)),
                Map.entry("t1", new TaskMetrics(0.97, null, 1000L)));
        assertThat(back.getAggregates()).containsEntry(MetricKeys.ACC, 0.695).containsEntry(MetricKeys.WC_ACC, 0.5);
        assertThat(back.getAggregates().get(MetricKeys.MIN_ACC)).isNaN();
        assertThat(MetricsJson.write(back)).isEqualTo(JSON.getBytes(UTF_8));
    }

    @Test
    void skippedVersionsAreWrittenLastAndReadBackWithOrWithoutTheirList() {
        IterationMetrics listed = metrics();
        listed.setSkippedVersions(new SkippedVersions(2L, 2349L, 2350L, List.of(2349L, 2350L)));
        String json = new String(MetricsJson.write(listed), UTF_8);

        assertThat(json).endsWith(",\"skipped_versions\":{\"count\":2,\"first\":2349,\"last\":2350,\"versions\":[2349,2350]}}");
        assertThat(MetricsJson.parse(json.getBytes(UTF_8)).getSkippedVersions()).isEqualTo(listed.getSkippedVersions());

        IterationMetrics counted = metrics();
        counted.setSkippedVersions(new SkippedVersions(100L, 2000L, 2350L, null));
        String countedJson = new String(MetricsJson.write(counted), UTF_8);
        assertThat(countedJson).endsWith("\"skipped_versions\":{\"count\":100,\"first\":2000,\"last\":2350}}");
        assertThat(MetricsJson.parse(countedJson.getBytes(UTF_8)).getSkippedVersions()).isEqualTo(counted.getSkippedVersions());
        assertThat(MetricsJson.parse(JSON.getBytes(UTF_8)).getSkippedVersions()).as("absent: none skipped").isNull();
        assertThatThrownBy(() -> MetricsJson.parse(countedJson.replace("\"count\":100", "\"count\":\"many\"").getBytes(UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("skipped_versions.count");
    }

    @Test
    void aTaskFreeLossMetricRecordRoundTrips() {
        IterationMetrics lm = new IterationMetrics("lm", 9L, null, Map.of("en", new TaskMetrics(null, 2.47, 200L)),
                Map.of(MetricKeys.ACC, 2.47), MetricDirection.LOWER_IS_BETTER, 3L, null, null);

        String json = new String(MetricsJson.write(lm), UTF_8);

        assertThat(json).contains("\"direction\":\"lower_is_better\"").doesNotContain("\"task\"");
        assertThat(MetricsJson.parse(json.getBytes(UTF_8))).isEqualTo(lm);
    }

    @Test
    void theAccuracyMatrixWithItsInitialRowRoundTripsWithNullCells() {
        IterationMetrics m = metrics();
        m.setScoreMatrix(new ScoreMatrix(List.of("t0", "t1"), Arrays.asList(0.1, null),
                List.of(Arrays.asList(0.9, 0.2), Arrays.asList(0.8, 0.95))));
        String json = new String(MetricsJson.write(m), UTF_8);
        assertThat(json).contains("\"accuracy_matrix\":{\"tasks\":[\"t0\",\"t1\"],\"initial\":[0.1,null],"
                + "\"rows\":[[0.9,0.2],[0.8,0.95]]}");
        IterationMetrics back = MetricsJson.parse(json.getBytes(UTF_8));
        assertThat(back.getScoreMatrix()).isEqualTo(m.getScoreMatrix());
        assertThat(MetricsJson.parse(MetricsJson.write(metrics())).getScoreMatrix()).as("absent: older records").isNull();
        assertThatThrownBy(() -> MetricsJson.parse(json.replace("[0.8,0.95]", "[0.8]").getBytes(UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("accuracy_matrix");
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> MetricsJson.parse(JSON.replace("\"iteration\":2351", "\"iteration\":\"x\"").getBytes(UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("'iteration' must be an integer");
        assertThatThrownBy(() -> MetricsJson.parse(JSON.replace("\"accuracy\":0.42", "\"accuracy\":\"high\"").getBytes(UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("'tasks.t0.accuracy' must be a number");
        assertThatThrownBy(() -> MetricsJson.parse(JSON.replace("higher_is_better", "up").getBytes(UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("'direction'");
        assertThatThrownBy(() -> MetricsJson.parse("{".getBytes(UTF_8)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("malformed");
    }

    private static IterationMetrics metrics() {
        Map<String, TaskMetrics> tasks = new LinkedHashMap<>();
        tasks.put("t0", new TaskMetrics(0.42, 1.5, 1000L));
        tasks.put("t1", new TaskMetrics(0.97, Double.POSITIVE_INFINITY, 1000L));
        Map<String, Double> aggregates = new LinkedHashMap<>();
        aggregates.put(MetricKeys.ACC, 0.695);
        aggregates.put(MetricKeys.MIN_ACC, Double.NaN);
        aggregates.put(MetricKeys.WC_ACC, 0.5);
        return new IterationMetrics("mnist", 2351L, "t1", tasks, aggregates, MetricDirection.HIGHER_IS_BETTER,
                1_700_000_000_000L, null, null);
    }
}
