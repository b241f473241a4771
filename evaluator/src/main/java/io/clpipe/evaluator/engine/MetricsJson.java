package io.clpipe.evaluator.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The JSON report of {@code clpipe metrics}: snake_case keys, null where a metric is undefined. */
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
        out.put("acc", s.acc());
        out.put("min_acc", s.minAcc());
        out.put("wc_acc", s.wcAcc());
        out.put("wf", s.wf(window));
        out.put("wp", s.wp(window));
        out.put("lca", s.lca());
        out.put("forgetting", s.forgetting());
        out.put("bwt", s.bwt());
        out.put("fwt", s.fwt());
        out.put("learning_acc", s.learningAccuracy());
        ArrayNode tasks = out.putArray("tasks");
        s.tasks().forEach(tasks::add);
        ArrayNode matrix = out.putArray("accuracy_matrix");
        for (List<Double> row : s.accuracyMatrix()) {
            ArrayNode r = matrix.addArray();
            row.forEach(r::add);
        }
        ArrayNode gaps = out.putArray("gaps");
        for (StabilityGap g : s.gaps()) {
            ObjectNode gap = gaps.addObject();
            gap.put("boundary_iteration", g.boundaryIteration());
            gap.put("task", g.task());
            gap.put("depth", g.depth());
            gap.put("recovery_iterations", g.recoveryIterations());
        }
        return out;
    }
}
