package io.clpipe.learner.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The learner's meters of one stream, tagged {@code stream}. Gauges read holders this object keeps
 * (strong references: Micrometer's gauges are weak by default). {@link #removeGauges()} when the
 * stream leaves this instance, so a later owner's values are not shadowed by stale ones.
 */
final class StreamMeters {

    private final MeterRegistry registry;
    private final Tags tags;
    private final List<Meter> gauges = new ArrayList<>();
    private final AtomicLong lossBits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong rateBits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong iteration = new AtomicLong();
    private final AtomicLong replaySize = new AtomicLong();
    private final AtomicLong prequentialAccuracyBits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong prequentialLossBits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong stepsSinceCheckpoint = new AtomicLong();
    private final AtomicLong checkpointMillis = new AtomicLong();
    private Meter taskInfo;
    private String infoTask;

    final Counter samples;
    final Counter steps;
    final Counter divergences;
    final Counter boundaries;
    final Counter snapshots;
    final Counter checkpoints;
    final Counter anneals;
    final Counter lingerSteps;
    final DistributionSummary snapshotBytes;
    final Timer stepTime;

    StreamMeters(MeterRegistry registry, String stream) {
        this.registry = registry;
        this.tags = Tags.of("stream", stream);
        samples = counter("clpipe.learner.samples", "New training samples trained on (replayed ones not counted)");
        steps = counter("clpipe.learner.steps", "Optimizer steps taken, including rolled-back ones");
        divergences = counter("clpipe.learner.divergences", "Steps rolled back by the divergence guard");
        boundaries = counter("clpipe.learner.boundaries", "Task boundaries applied (in-band task changes, user task-starts included, "
                + "and loss drift detections)");
        anneals = counter("clpipe.learner.anneal.requests", "Anneal requests applied (control topic)");
        snapshots = counter("clpipe.learner.snapshots", "Model snapshots published to the models topic");
        checkpoints = counter("clpipe.learner.checkpoints", "Checkpoints written");
        lingerSteps = counter("clpipe.learner.linger.steps", "Partial batches trained because the stream was idle for batch.linger.ms");
        snapshotBytes = DistributionSummary.builder("clpipe.learner.snapshot.bytes")
                .description("Serialized size of a published model snapshot").baseUnit("bytes").tags(tags).register(registry);
        stepTime = Timer.builder("clpipe.learner.step.seconds")
                .description("Time of one training step (batch mixing, forward, backward, update)").tags(tags).register(registry);
        gauge("clpipe.learner.loss", "Training loss of the last step", lossBits, b -> Double.longBitsToDouble(b.get()));
        gauge("clpipe.learner.learning.rate", "Learning rate of the last step", rateBits, b -> Double.longBitsToDouble(b.get()));
        gauge("clpipe.learner.iteration", "Optimizer steps taken by the stream's model (its snapshot version)", iteration, AtomicLong::get);
        gauge("clpipe.learner.replay.size", "Samples in the replay buffer", replaySize, AtomicLong::get);
        gauge("clpipe.learner.prequential.accuracy", "Test-then-train accuracy of new samples, scored before the step that "
                + "trains on them, with the fading factor of docs/metrics.md", prequentialAccuracyBits,
                b -> Double.longBitsToDouble(b.get()));
        gauge("clpipe.learner.prequential.loss", "Test-then-train cross-entropy of new samples before their step, faded like "
                + "the accuracy", prequentialLossBits, b -> Double.longBitsToDouble(b.get()));
        gauge("clpipe.learner.steps.since.checkpoint", "Optimizer steps taken since the stream's last checkpoint (a restart retrains them)",
                stepsSinceCheckpoint, AtomicLong::get);
        gauge("clpipe.learner.checkpoint.timestamp.seconds",
                "Unix time of the stream's last checkpoint, or of when this instance took the stream over", checkpointMillis,
                m -> m.get() / 1000.0);
    }

    /** {@code steps} taken since the checkpoint of {@code epochMillis} (or since this instance took the stream over then). */
    void checkpoint(long steps, long epochMillis) {
        stepsSinceCheckpoint.set(steps);
        checkpointMillis.set(epochMillis);
    }

    /**
     * {@code clpipe.learner.task.info{stream, task} = 1} for the task being learned now (none for
     * {@code null}): the dashboard's boundary annotation joins on it to name the new task.
     */
    void task(String task) {
        if (Objects.equals(task, infoTask)) {
            return;
        }
        infoTask = task;
        if (taskInfo != null) {
            registry.remove(taskInfo);
            gauges.remove(taskInfo);
            taskInfo = null;
        }
        if (task != null) {
            taskInfo = Gauge.builder("clpipe.learner.task.info", () -> 1.0).description("1 for the task the stream is learning now")
                    .tags(tags.and("task", task)).register(registry);
            gauges.add(taskInfo);
        }
    }

    void stepsSinceCheckpoint(long steps) {
        stepsSinceCheckpoint.set(steps);
    }

    void prequential(double accuracy, double loss) {
        prequentialAccuracyBits.set(Double.doubleToLongBits(accuracy));
        prequentialLossBits.set(Double.doubleToLongBits(loss));
    }

    void update(long iterationNow, double loss, double rate, int replay) {
        iteration.set(iterationNow);
        lossBits.set(Double.doubleToLongBits(loss));
        rateBits.set(Double.doubleToLongBits(rate));
        replaySize.set(replay);
    }

    void removeGauges() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    private <T> void gauge(String name, String description, T holder, ToDoubleFunction<T> read) {
        gauges.add(Gauge.builder(name, holder, read).description(description).tags(tags).strongReference(true)
                .register(registry));
    }
}
