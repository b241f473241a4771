package io.clpipe.learner.bench;

/**
 * One way of running the learner service in {@code clpipe bench pipeline}, over the repeats.
 *
 * @param samplesPerSecond samples/s of the service draining the topic
 * @param ratio            service/memory of each repeat's runs, paired within the repeat
 * @param stepShare        share of the service's timed window spent inside training steps
 */
public record ServiceFigures(Spread samplesPerSecond, Spread ratio, Spread stepShare) {
}
