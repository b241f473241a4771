package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.StabilityGap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stability gaps of the most recent boundary, one per old task. */
final class LatestGaps {

    private LatestGaps() {
    }

    static Map<String, StabilityGap> byTask(List<StabilityGap> gaps) {
        long latest = gaps.stream().mapToLong(StabilityGap::boundaryIteration).max().orElse(-1);
        Map<String, StabilityGap> out = new LinkedHashMap<>();
        for (StabilityGap gap : gaps) {
            if (gap.boundaryIteration() == latest) {
                out.put(gap.task(), gap);
            }
        }
        return out;
    }
}
