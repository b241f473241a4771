package io.clpipe.app.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How hard {@code clpipe chaos} pushes: the known stream (streams × 2 tasks × {@code perTask} training
 * samples, {@code evalPerTask} eval samples per task), how many times each fault is injected, and
 * the seed of the data and of the injection moments.
 *
 * @param work    scratch directory (broker data, logs, checkpoints of the reference runs)
 * @param timeout longest wait for any one condition (a hang guard)
 */
public record ChaosSettings(List<Fault> faults, int streams, int perTask, int evalPerTask, int kills, int brokerRestarts,
                            int corruptions, int poisonSamples, long seed, Path work, Duration timeout) {

    public ChaosSettings {
        faults = List.copyOf(faults);
        if (streams < 1 || perTask < 24 || evalPerTask < 1 || kills < 1 || brokerRestarts < 1 || corruptions < 1 || poisonSamples < 1) {
            throw new IllegalArgumentException("chaos settings must be positive (perTask at least 24)");
        }
    }

    /** The shortened suite of the integration test: each fault once or a few times, a short stream. */
    public static ChaosSettings quick(Path work) {
        return new ChaosSettings(List.of(Fault.values()), 2, 160, 30, 3, 1, 1, 2, 11, work, Duration.ofSeconds(180));
    }

    /** What {@code clpipe chaos} runs by default: more kills, longer streams. */
    public static ChaosSettings full(Path work) {
        return new ChaosSettings(List.of(Fault.values()), 2, 800, 60, 8, 2, 2, 4, 11, work, Duration.ofSeconds(600));
    }

    public ChaosSettings withFaults(List<Fault> v) {
        return new ChaosSettings(v, streams, perTask, evalPerTask, kills, brokerRestarts, corruptions, poisonSamples, seed, work, timeout);
    }

    public ChaosSettings withSeed(long v) {
        return new ChaosSettings(faults, streams, perTask, evalPerTask, kills, brokerRestarts, corruptions, poisonSamples, v, work, timeout);
    }
}
