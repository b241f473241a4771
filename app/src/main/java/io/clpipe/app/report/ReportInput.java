package io.clpipe.app.report;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a run report is made from.
 *
 * @param metricsLines the JSON values of one stream's {@code clpipe.metrics} records, as received
 * @param learningRate learning rate by iteration (from the learner's snapshots); may be empty
 * @param trainingLoss training loss of the last step by iteration; may be empty
 * @param settings     what was run
 */
public record ReportInput(List<String> metricsLines, SortedMap<Long, Double> learningRate,
                          SortedMap<Long, Double> trainingLoss, RunSettings settings) {

    public ReportInput {
        metricsLines = List.copyOf(metricsLines);
        learningRate = Collections.unmodifiableSortedMap(new TreeMap<>(learningRate));
        trainingLoss = Collections.unmodifiableSortedMap(new TreeMap<>(trainingLoss));
        if (settings == null) {
            throw new IllegalArgumentException("settings are required");
        }
    }
}
