package io.clpipe.harness.chaos;

import java.util.List;
import java.util.Locale;

/** The table {@code clpipe chaos} prints: one row per fault, goal 0 in every loss column. */
public final class ChaosTable {

    private ChaosTable() {
    }

    public static String render(List<FaultResult> results) {
        StringBuilder s = new StringBuilder();
        s.append("| fault | times injected | samples lost | samples trained twice | metrics lost | metrics duplicated |"
                + " metrics off | rollbacks on control | weights match |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (FaultResult r : results) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %s |%n", r.fault().label(),
                    r.injected(), r.samplesLost(), r.samplesTwice(), r.metricsLost(), r.metricsDuplicated(), r.metricsOff(),
                    r.rollbacks(),
                    r.weightsMatch() == r.streams() ? "yes (" + r.streams() + "/" + r.streams() + " streams)"
                            : "NO (" + r.weightsMatch() + "/" + r.streams() + ")"));
        }
        for (FaultResult r : results) {
            r.notes().forEach(n -> s.append("- ").append(r.fault().label()).append(": ").append(n).append('\n'));
        }
        return s.toString();
    }
}
