package io.clpipe.app.demo;

import io.clpipe.schemas.avro.IterationMetrics;
import java.util.List;
import java.util.SortedMap;

/**
 * What a demo run produced: every metrics line of the stream as it went over the topic, the
 * learner's learning rate and training loss per evaluated iteration, and timings.
 */
public record DemoResult(List<byte[]> metricLines, List<IterationMetrics> metrics, SortedMap<Long, Double> learningRate,
                         SortedMap<Long, Double> trainingLoss, long trainSamples, long iterations, double seconds) {
}
