package io.clpipe.evaluator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The trace → report path of {@code clpipe metrics}, on the stability-gap example of the docs. */
class TraceMetricsTest {

    private static final Offset<Double> EPS = within(1e-12);

    static final String GAP_TRACE = """
            iteration,task,eval_task,accuracy
            0,,A,0.10
            0,,B,0.12
            1,A,A,0.80
            1,A,B,0.11
            2,A,A,0.92
            2,A,B,0.15
            3,B,A,0.40
            3,B,B,0.60
            4,B,A,0.70
            4,B,B,0.80
            5,B,A,0.915
            5,B,B,0.90
            """;

    @Test
    void reportHasEveryKeyWithHandComputedValues() throws Exception {
        EngineConfig config = EngineConfig.defaults(Direction.ACCURACY).withWindows(List.of(2));
        MetricsSnapshot s = new TraceMetrics(config).replay(new BufferedReader(new StringReader(GAP_TRACE)));
        JsonNode json = new MetricsJson(new ObjectMapper()).report(s, 2);

        assertThat(json.get("iteration").asLong()).isEqualTo(5);
        // ACC = (0.915 + 0.90) / 2 = 0.9075
        assertThat(json.get("acc").asDouble()).isCloseTo(0.9075, EPS);
        // min-ACC = min(0.40, 0.70, 0.915) = 0.40; WC-ACC = 0.90/2 + 0.40/2 = 0.65
        assertThat(json.get("min_acc").asDouble()).isCloseTo(0.40, EPS);
        assertThat(json.get("wc_acc").asDouble()).isCloseTo(0.65, EPS);
        // WF^2: A 0.80 0.92 0.40 0.70 0.915 → 0.52; B 0.60 0.80 0.90 → 0 → 0.26
        assertThat(json.get("wf").asDouble()).isCloseTo(0.26, EPS);
        // WP^2: A 0.40 → 0.70 = 0.30; B 0.60 → 0.80 = 0.20 → 0.25
        assertThat(json.get("wp").asDouble()).isCloseTo(0.25, EPS);
        assertThat(json.get("lca").isNull()).isTrue();
        // f_A = 0.92 − 0.915 = 0.005; BWT = −0.005; FWT = a(A,B) − b_B = 0.15 − 0.12 = 0.03
        assertThat(json.get("forgetting").asDouble()).isCloseTo(0.005, EPS);
        assertThat(json.get("bwt").asDouble()).isCloseTo(-0.005, EPS);
        assertThat(json.get("fwt").asDouble()).isCloseTo(0.03, EPS);
        // learning accuracy = (0.92 + 0.90) / 2 = 0.91
        assertThat(json.get("learning_acc").asDouble()).isCloseTo(0.91, EPS);
        assertThat(json.get("tasks").toString()).isEqualTo("[\"A\",\"B\"]");
        assertThat(json.get("accuracy_matrix").toString()).isEqualTo("[[0.92,0.15],[0.915,0.9]]");
        // gap at 2 (A's last iteration; it was 3, the first of B, before the boundary contract) for A:
        // 0.92 → 0.40 = 0.52; back within 0.01 (≥ 0.91) at 5 → 5 − 2 = 3
        JsonNode gap = json.get("gaps").get(0);
        assertThat(json.get("gaps")).hasSize(1);
        assertThat(gap.get("boundary_iteration").asLong()).isEqualTo(2);
        assertThat(gap.get("task").asText()).isEqualTo("A");
        assertThat(gap.get("depth").asDouble()).isCloseTo(0.52, EPS);
        assertThat(gap.get("recovery_iterations").asLong()).isEqualTo(3);
    }

    @Test
    void reportRoundsAwayBinaryNoise() throws Exception {
        MetricsSnapshot s = new TraceMetrics(EngineConfig.defaults(Direction.ACCURACY))
                .replay(new BufferedReader(new StringReader(GAP_TRACE)));
        // 0.92 − 0.915 is 0.0050000000000000044 in binary floating point
        assertThat(s.forgetting()).isNotEqualTo(0.005);
        JsonNode json = new MetricsJson(new ObjectMapper()).report(s, 10);
        assertThat(json.get("forgetting").toString()).isEqualTo("0.005");
        assertThat(json.get("bwt").toString()).isEqualTo("-0.005");
    }

    @Test
    void undefinedMetricsAreJsonNull() throws Exception {
        MetricsSnapshot s = new TraceMetrics(EngineConfig.defaults(Direction.ACCURACY))
                .replay(new BufferedReader(new StringReader("iteration,task,eval_task,accuracy\n1,A,A,0.5\n")));
        JsonNode json = new MetricsJson(new ObjectMapper()).report(s, 10);
        for (String key : List.of("min_acc", "forgetting", "bwt", "fwt", "lca")) {
            assertThat(json.get(key).isNull()).as(key).isTrue();
        }
        assertThat(json.get("wc_acc").asDouble()).isEqualTo(0.5);
        assertThat(json.get("gaps")).isEmpty();
    }

    @Test
    void aggregatesUseTheMetricsTopicNames() throws Exception {
        MetricsSnapshot s = new TraceMetrics(EngineConfig.defaults(Direction.ACCURACY))
                .replay(new BufferedReader(new StringReader(GAP_TRACE)));
        assertThat(s.aggregates().keySet()).containsExactly("acc", "min_acc", "wc_acc", "wf10", "wf100", "wp10",
                "wp100", "lca", "forgetting", "bwt", "fwt", "learning_accuracy");
        assertThat(s.aggregates().get("min_acc")).isEqualTo(0.40);
    }
}
