package io.clpipe.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/** The few Prometheus text-format readings the soak needs: sums and per-label values of one metric. */
public record PromText(List<Line> lines) {

    public record Line(String name, Map<String, String> labels, double value) {
    }

    public static PromText parse(String body) {
        List<Line> lines = new ArrayList<>();
        for (String raw : body.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name;
            Map<String, String> labels = new TreeMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                String inner = line.substring(brace + 1, line.lastIndexOf('}'));
                for (String pair : inner.split("\",")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).replace("\"", "").strip());
                    }
                }
            } else {
                name = line.substring(0, space).strip();
            }
            try {
                lines.add(new Line(name, labels, Double.parseDouble(line.substring(space + 1).strip())));
            } catch (NumberFormatException ignored) {
                // not a sample line
            }
        }
        return new PromText(List.copyOf(lines));
    }

    /** Sum of the metric's series whose labels include {@code key=value} (key null: all series); empty if none. */
    public OptionalDouble sum(String name, String key, String value) {
        boolean any = false;
        double total = 0;
        for (Line l : lines) {
            if (l.name().equals(name) && (key == null || value.equals(l.labels().get(key)))) {
                any = true;
                total += l.value();
            }
        }
        return any ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    /** The metric's value per value of label {@code key}. */
    public Map<String, Double> byLabel(String name, String key) {
        Map<String, Double> out = new TreeMap<>();
        for (Line l : lines) {
            if (l.name().equals(name) && l.labels().containsKey(key)) {
                out.merge(l.labels().get(key), l.value(), Double::sum);
            }
        }
        return out;
    }
}
