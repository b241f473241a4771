package io.clpipe.bench.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * A counter of one service read over time (a Prometheus counter scraped every few hundred
 * milliseconds): when it first moved and when it first reached a count.
 */
final class Watch {

    private record Reading(long nanos, long count) {
    }

    private final long startNanos;
    private final List<Reading> readings = new ArrayList<>();

    /** @param startNanos the run's start ({@link System#nanoTime()}), for {@link #sinceStart} */
    Watch(long startNanos) {
        this.startNanos = startNanos;
    }

    void observe(long nanos, long count) {
        readings.add(new Reading(nanos, count));
    }

    long last() {
        return readings.isEmpty() ? 0 : readings.get(readings.size() - 1).count();
    }

    boolean reached(long target) {
        return last() >= target;
    }

    /** Seconds from the start to the first reading at or above {@code target}. */
    double seconds(long target) {
        return (at(target).nanos() - startNanos) / 1e9;
    }

    /**
     * From the first reading that moved to the first at {@code target}: the counts of the first
     * reading are left out, since their time is unknown within one polling interval.
     */
    Rate rate(long target) {
        Reading first = readings.stream().filter(r -> r.count() > 0).findFirst().orElseThrow();
        Reading end = at(target);
        return new Rate(target - first.count(), (end.nanos() - first.nanos()) / 1e9);
    }

    /** From the first reading at or above {@code from} to the first at or above {@code to}. */
    Rate between(long from, long to) {
        Reading first = at(from);
        Reading end = at(to);
        return new Rate(to - first.count(), (end.nanos() - first.nanos()) / 1e9);
    }

    /** The count reached over the time since the start. */
    Rate sinceStart(long target) {
        return new Rate(target, seconds(target));
    }

    private Reading at(long target) {
        return readings.stream().filter(r -> r.count() >= target).findFirst()
                .orElseThrow(() -> new IllegalStateException("never reached " + target));
    }
}
