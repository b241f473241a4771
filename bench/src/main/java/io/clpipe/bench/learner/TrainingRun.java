package io.clpipe.bench.learner;

/**
 * One timed run of the learner over the benchmark's samples, timed from the end of its first step to
 * the end of its last, so that start-up (group join, first fetch, model creation) is not counted.
 *
 * @param timedSamples     samples trained in the timed window (all but the first batch)
 * @param seconds          length of that window
 * @param stepSeconds      time spent inside training steps in the window, or NaN where not known
 * @param snapshots        snapshots published (service runs; 0 from memory)
 * @param snapshotBytes    their total size
 * @param weightsSha256    SHA-256 of the final parameters (float32 little-endian, as checkpoints report)
 */
record TrainingRun(long timedSamples, double seconds, double stepSeconds, long snapshots, double snapshotBytes,
                   String weightsSha256) {

    double samplesPerSecond() {
        return timedSamples / seconds;
    }
}
