package io.clpipe.ingest.scenario;

/**
 * What a scenario produces for one task: {@code evalSamples} EVAL samples, then
 * {@code trainImages × epochs} TRAIN samples.
 */
public record TaskPlan(String name, int trainImages, int epochs, int evalSamples) {

    /** TRAIN samples of this task over all epochs. */
    public long trainSamples() {
        return (long) trainImages * epochs;
    }

    public long samples() {
        return trainSamples() + evalSamples;
    }
}
