package io.clpipe.app.demo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Reads the in-process services' meters for the demo's progress line (what Prometheus would scrape). */
final class RunMeters {

    private final MeterRegistry registry;
    private final String stream;

    RunMeters(MeterRegistry registry, String stream) {
        this.registry = registry;
        this.stream = stream;
    }

    double learnerSamples() {
        return counter("clpipe.learner.samples");
    }

    double learnerIteration() {
        return gauge("clpipe.learner.iteration");
    }

    double learningRate() {
        return gauge("clpipe.learner.learning.rate");
    }

    double trainingLoss() {
        return gauge("clpipe.learner.loss");
    }

    double snapshots() {
        return counter("clpipe.learner.snapshots");
    }

    double evaluations() {
        return counter("clpipe.eval.evaluations");
    }

    double evaluatorSnapshotsBehind() {
        Gauge g = registry.find("clpipe.eval.snapshots.behind").gauge();
        return g == null ? Double.NaN : g.value();
    }

    private double counter(String name) {
        Counter c = registry.find(name).tag("stream", stream).counter();
        return c == null ? 0 : c.count();
    }

    private double gauge(String name) {
        Gauge g = registry.find(name).tag("stream", stream).gauge();
        return g == null ? Double.NaN : g.value();
    }
}
