package io.clpipe.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The PromQL of a Grafana dashboard JSON: panel targets, annotation queries, template variables. */
record Dashboard(JsonNode json, List<Dashboard.Query> queries) {

    /** One query and where it sits, e.g. "panel 'Per-task accuracy' target A". */
    record Query(String where, String expr) {
    }

    /** Grafana's built-in variables and ours (all streams, all tasks), as Prometheus itself would need them. */
    String substitute(String expr, String rateInterval) {
        return substitute(expr, rateInterval, "1h");
    }

    String substitute(String expr, String rateInterval, String range) {
        return expr.replace("$__rate_interval", rateInterval).replace("$__interval", rateInterval).replace("$__range", range)
                .replace("$stream", ".*").replace("$task", ".*");
    }

    /** The annotation queries, by name. */
    java.util.Map<String, JsonNode> annotations() {
        java.util.Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        json.path("annotations").path("list").forEach(a -> {
            if (a.hasNonNull("expr")) {
                out.put(a.path("name").asText(), a);
            }
        });
        return out;
    }

    static Dashboard read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<Query> queries = new ArrayList<>();
        collectPanels(root.path("panels"), queries);
        for (JsonNode annotation : root.path("annotations").path("list")) {
            if (annotation.hasNonNull("expr")) {
                queries.add(new Query("annotation '" + annotation.path("name").asText() + "'", annotation.get("expr").asText()));
            }
        }
        for (JsonNode variable : root.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                String text = query.isObject() ? query.path("query").asText() : query.asText();
                queries.add(new Query("variable '" + variable.path("name").asText() + "'", text));
            }
        }
        return new Dashboard(root, List.copyOf(queries));
    }

    private static void collectPanels(JsonNode panels, List<Query> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                into.add(new Query("panel '" + panel.path("title").asText() + "' target " + target.path("refId").asText(),
                        target.path("expr").asText()));
            }
            collectPanels(panel.path("panels"), into); // panels folded into a row
        }
    }
}
