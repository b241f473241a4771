package io.clpipe.harness.chaos;

import java.util.List;

/**
 * What one scenario measured. Samples are counted per stream on the training topic (what ingest
 * routed) and in the learner's final checkpoint (trained, plus records after its resume offset);
 * metrics by version on the metrics topic against the versions published on the models topic.
 *
 * @param injected          times the fault was injected
 * @param samplesLost       produced training samples neither trained nor pending (ingest or learner)
 * @param samplesTwice      samples routed or trained more than once
 * @param metricsLost       published snapshot versions without a metrics record
 * @param metricsDuplicated metrics records beyond one per (stream, version)
 * @param metricsOff        metrics records whose aggregates differ from those of one uninterrupted
 *                          metrics engine fed the records' own task scores ({@code MetricsAudit})
 * @param rollbacks         ROLLBACK events on the control topic
 * @param weightsMatch      streams whose final weights' SHA-256 equal an uninterrupted run's
 * @param streams           streams checked
 * @param notes             what else happened (unplanned restarts, refused generations…)
 */
public record FaultResult(Fault fault, int injected, long samplesLost, long samplesTwice, long metricsLost, long metricsDuplicated,
                          long metricsOff, long rollbacks, int weightsMatch, int streams, List<String> notes) {

    public FaultResult {
        notes = List.copyOf(notes);
    }

    /** Nothing lost, nothing twice, metrics as one evaluator would publish them, every stream bit-identical to the uninterrupted run. */
    public boolean clean() {
        return samplesLost == 0 && samplesTwice == 0 && metricsLost == 0 && metricsDuplicated == 0 && metricsOff == 0
                && weightsMatch == streams;
    }
}
