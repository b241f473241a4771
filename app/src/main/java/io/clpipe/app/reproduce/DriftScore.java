package io.clpipe.app.reproduce;

import java.util.ArrayList;
import java.util.List;

/**
 * How well detections match the true task switches of a stream. Positions are 0-based indices in
 * the stream's order over all its samples, train and eval. A switch is at the index of the new
 * task's first sample; a detection at the index of the sample that got the new segment name first.
 * Each true segment can match one detection, the first inside it; its delay is detection − switch
 * (0: detected on the first sample of the new task). Every other detection is a false alarm (one
 * before the first switch, or a second one inside a segment).
 *
 * @param switches    every true switch, matched or missed
 * @param falseAlarms positions of the unmatched detections
 */
record DriftScore(List<Switch> switches, List<Detected> falseAlarms) {

    /** A detection at {@code position} by {@code signal}. */
    record Detected(long position, String signal) {
    }

    /** True switch to {@code task} at {@code at}; {@code detected} null when missed. */
    record Switch(String task, long at, Detected detected) {
        Long delay() {
            return detected == null ? null : detected.position() - at;
        }
    }

    DriftScore {
        switches = List.copyOf(switches);
        falseAlarms = List.copyOf(falseAlarms);
    }

    /**
     * @param tasks      true task names in order (the first has no switch)
     * @param switchAt   index of each later task's first sample ({@code tasks.size() − 1} of them, increasing)
     * @param detections in stream order
     */
    static DriftScore of(List<String> tasks, List<Long> switchAt, List<Detected> detections) {
        if (switchAt.size() != tasks.size() - 1) {
            throw new IllegalArgumentException(tasks.size() + " tasks need " + (tasks.size() - 1) + " switches, got " + switchAt.size());
        }
        Detected[] matched = new Detected[switchAt.size()];
        List<Detected> falseAlarms = new ArrayList<>();
        for (Detected d : detections) {
            int segment = -1; // the true switch whose segment holds d
            for (int k = 0; k < switchAt.size() && switchAt.get(k) <= d.position(); k++) {
                segment = k;
            }
            if (segment >= 0 && matched[segment] == null) {
                matched[segment] = d;
            } else {
                falseAlarms.add(d);
            }
        }
        List<Switch> switches = new ArrayList<>();
        for (int k = 0; k < switchAt.size(); k++) {
            switches.add(new Switch(tasks.get(k + 1), switchAt.get(k), matched[k]));
        }
        return new DriftScore(switches, falseAlarms);
    }

    long missed() {
        return switches.stream().filter(s -> s.detected() == null).count();
    }

    Double meanDelay() {
        return switches.stream().filter(s -> s.detected() != null).mapToLong(Switch::delay).average().stream().boxed().findFirst()
                .orElse(null);
    }

    Long maxDelay() {
        return switches.stream().filter(s -> s.detected() != null).map(Switch::delay).max(Long::compare).orElse(null);
    }
}
