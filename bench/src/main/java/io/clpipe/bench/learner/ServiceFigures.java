package io.clpipe.bench.learner;

/**
 * One way of running the learner service in {@code clpipe bench pipeline}, over the repeats.
 *
 * @param samplesPerSecond samples/s of the service draining the topic
 * @param ratio            service/memory of each repeat's runs, paired within the repeat
 * @param stepShare        share of the service's timed window spent inside training steps
 * @param stepMicros       time inside training steps per trained sample, µs (the memory run's is its whole time)
 */
public record ServiceFigures(Spread samplesPerSecond, Spread ratio, Spread stepShare, Spread stepMicros) {
}
