package io.clpipe.bench.learner;

/**
 * One snapshot cadence of {@code clpipe bench pipeline}: medians and ranges over the repeats.
 *
 * @param snapshotPeriod  iterations between snapshots ({@link PipelineBenchConfig#SNAPSHOTS_OFF}: none after version 0)
 * @param readAhead       the learner service as configured by default: the training topic read ahead on a second thread
 * @param direct          the learner service with the read-ahead off ({@code train.read.ahead.records=0})
 * @param memory          samples/s of the engine fed from memory
 * @param snapshotsPerRun snapshots a service run published (version 0 included)
 * @param snapshotBytes   bytes of one snapshot on the wire
 * @param sameWeights     whether every service run ended with the memory runs' weights, bit for bit
 */
public record PipelineRow(int snapshotPeriod, ServiceFigures readAhead, ServiceFigures direct, Spread memory, long snapshotsPerRun,
                          double snapshotBytes, boolean sameWeights) {

    public String cadence() {
        return PipelineBenchConfig.describePeriod(snapshotPeriod);
    }
}
