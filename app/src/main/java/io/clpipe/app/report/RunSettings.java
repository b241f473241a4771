package io.clpipe.app.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What was run, for the report's "run" section.
 *
 * @param scenario      e.g. split-mnist
 * @param strategy      e.g. replay-rewarm
 * @param seed          the run's seed
 * @param epochsPerTask passes over each task's training data
 * @param started       when the run started
 * @param elapsed       wall time of the run
 * @param extra         further settings worth showing, in display order (model, evaluation cadence, …)
 */
public record RunSettings(String scenario, String strategy, long seed, int epochsPerTask, Instant started,
                          Duration elapsed, Map<String, String> extra) {

    public RunSettings {
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** Every setting as label → text, in display order. */
    public Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("scenario", scenario);
        out.put("strategy", strategy);
        out.put("seed", Long.toString(seed));
        out.put("epochs_per_task", Integer.toString(epochsPerTask));
        out.put("started", started.toString());
        out.put("elapsed_seconds", String.format(Locale.ROOT, "%.1f", elapsed.toMillis() / 1000.0));
        out.putAll(extra);
        return out;
    }
}
