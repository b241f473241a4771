package io.clpipe.evaluator.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The JSON report of {@code clpipe metrics}: snake_case keys, null where a metric is undefined, values
 * rounded to 12 decimals so that binary rounding (0.0050000000000000044) does not reach the reader.
 */
public final class MetricsJson {

    private final ObjectMapper mapper;

    public MetricsJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The report for one window w (the {@code wf}/{@code wp} values reported). */
    public ObjectNode report(MetricsSnapshot s, int window) {
        ObjectNode out = mapper.createObjectNode();
        out.put("iteration", s.iteration());
        out.put("direction", s.direction().label());
        out.put("window", window);
        out.put("acc", round(s.acc()));
        out.put("min_acc", round(s.minAcc()));
        out.put("wc_acc", round(s.wcAcc()));
        out.put("wf", round(s.wf(window)));
        out.put("wp", round(s.wp(window)));
        out.put("lca", round(s.lca()));
        out.put("forgetting", round(s.forgetting()));
        out.put("bwt", round(s.bwt()));
        out.put("fwt", round(s.fwt()));
        out.put("learning_acc", round(s.learningAccuracy()));
        ArrayNode tasks = out.putArray("tasks");
        s.tasks().forEach(tasks::add);
        ArrayNode matrix = out.putArray("accuracy_matrix");
        for (List<Double> row : s.accuracyMatrix()) {
            ArrayNode r = matrix.addArray();
            row.forEach(v -> r.add(round(v)));
        }
        ArrayNode gaps = out.putArray("gaps");
        for (StabilityGap g : s.gaps()) {
            ObjectNode gap = gaps.addObject();
            gap.put("boundary_iteration", g.boundaryIteration());
            gap.put("task", g.task());
            gap.put("depth", round(g.depth()));
            gap.put("recovery_iterations", g.recoveryIterations());
        }
        return out;
    }

    private static Double round(Double value) {
        return value == null ? null : new BigDecimal(value).setScale(12, RoundingMode.HALF_EVEN).doubleValue();
    }
}
