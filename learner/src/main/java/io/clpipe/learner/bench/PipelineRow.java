package io.clpipe.learner.bench;

/**
 * One snapshot cadence of {@code clpipe bench pipeline}: medians and ranges over the repeats.
 *
 * @param snapshotPeriod  iterations between snapshots ({@link PipelineBenchConfig#SNAPSHOTS_OFF}: none after version 0)
 * @param service         samples/s of the learner service draining the topic
 * @param memory          samples/s of the engine fed from memory
 * @param ratio           service/memory of each repeat's pair of runs
 * @param stepShare       share of the service's timed window spent inside training steps
 * @param snapshotsPerRun snapshots a service run published (version 0 included)
 * @param snapshotBytes   bytes of one snapshot on the wire
 * @param sameWeights     whether every service run ended with the memory runs' weights, bit for bit
 */
public record PipelineRow(int snapshotPeriod, Spread service, Spread memory, Spread ratio, Spread stepShare, long snapshotsPerRun,
                          double snapshotBytes, boolean sameWeights) {

    public String cadence() {
        return PipelineBenchConfig.describePeriod(snapshotPeriod);
    }
}
