package io.clpipe.bench.soak;

import java.util.Map;

/**
 * One reading of the soak: both services' heap after a forced GC and resident set, with the bounded
 * structures they report (replay buffer, eval sets). -1 where a value could not be read.
 *
 * @param evalSetSizes samples held per task in the evaluator's eval sets
 */
public record SoakReading(double seconds, long produced, long trained, long learnerHeap, long learnerRss, long evaluatorHeap,
                          long evaluatorRss, long replaySize, long learnerIteration, long evaluatedIteration,
                          Map<String, Long> evalSetSizes) {

    public SoakReading {
        evalSetSizes = Map.copyOf(evalSetSizes);
    }
}
