package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.EvalSetKey;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import io.clpipe.evaluator.engine.StabilityGap;
import io.clpipe.schemas.avro.TaskMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluator's Micrometer meters (docs/metrics.md): gauges per stream and per (stream, task), counters
 * and a timer per stream. Gauges read holders kept here, because Micrometer only holds them weakly.
 * Undefined values (min-ACC while learning the first task, …) read as NaN.
 */
final class EvaluatorMeters {

    private final MeterRegistry registry;
    private final Map<String, StreamMeters> streams = new HashMap<>();
    private final Map<EvalSetKey, TaskMeters> tasks = new HashMap<>();
    private final Map<EvalSetKey, Value> setSizes = new HashMap<>();
    private final Value snapshotsBehind;
    private final Counter aborts;

    EvaluatorMeters(MeterRegistry registry) {
        this.registry = registry;
        this.snapshotsBehind = gauge("clpipe.eval.snapshots.behind",
                "Records on the models topic not consumed yet (end offset minus position, assigned partitions)", Tags.empty(),
                new ArrayList<>());
        this.aborts = Counter.builder("clpipe.eval.transaction.aborts")
                .description("Metrics transactions aborted and retried").register(registry);
    }

    Timer.Sample startTimer() {
        return Timer.start(registry);
    }

    /** One evaluated snapshot: per-task scores, the engine's aggregates (null if nothing was scored). */
    void evaluated(String stream, long version, Map<String, TaskMetrics> scores, MetricsSnapshot snapshot, Timer.Sample timer) {
        StreamMeters m = stream(stream);
        timer.stop(m.seconds);
        m.evaluations.increment();
        m.iteration.set(version);
        scores.forEach((task, s) -> {
            TaskMeters t = task(stream, task);
            t.accuracy.set(s.getAccuracy());
            t.loss.set(s.getLoss());
        });
        if (snapshot != null) {
            aggregates(stream, snapshot);
        }
    }

    /** The engine's state after a replayed (recovered) evaluation. */
    void aggregates(String stream, MetricsSnapshot s) {
        StreamMeters m = stream(stream);
        m.iteration.set(s.iteration());
        m.acc.set(s.acc());
        m.minAcc.set(s.minAcc());
        m.wcAcc.set(s.wcAcc());
        m.wf10.set(s.wf(10));
        m.wf100.set(s.wf(100));
        m.forgetting.set(s.forgetting());
        m.bwt.set(s.bwt());
        Map<String, StabilityGap> latest = LatestGaps.byTask(s.gaps());
        for (String task : s.tasks()) {
            StabilityGap gap = latest.get(task);
            task(stream, task).gapDepth.set(gap == null ? null : gap.depth());
        }
    }

    void progress(String stream, long latestSeen, long lastEvaluated) {
        stream(stream).lag.set((double) (latestSeen - lastEvaluated));
    }

    void duplicate(String stream) {
        stream(stream).duplicates.increment();
    }

    void thinned(String stream) {
        stream(stream).thinned.increment();
    }

    void rejected(String stream) {
        stream(stream).rejected.increment();
    }

    void setSize(String stream, String task, int size) {
        setSizes.computeIfAbsent(new EvalSetKey(stream, task), k -> gauge("clpipe.eval.set.size",
                "Samples held in the task's eval set", Tags.of("stream", stream, "task", task), new ArrayList<>())).set(size);
    }

    /**
     * Removes the stream's score, progress and timing meters: another evaluator of the group evaluates
     * it now and exports them (one series per stream across the group). Eval-set sizes stay: every
     * evaluator holds every stream's eval sets.
     */
    void forget(String stream) {
        StreamMeters m = streams.remove(stream);
        if (m != null) {
            m.meters.forEach(registry::remove);
        }
        tasks.entrySet().removeIf(e -> {
            boolean drop = e.getKey().stream().equals(stream);
            if (drop) {
                e.getValue().meters.forEach(registry::remove);
            }
            return drop;
        });
    }

    void snapshotsBehind(long records) {
        snapshotsBehind.set(records);
    }

    void transactionAborted() {
        aborts.increment();
    }

    private StreamMeters stream(String stream) {
        return streams.computeIfAbsent(stream, s -> new StreamMeters(Tags.of("stream", s)));
    }

    private TaskMeters task(String stream, String task) {
        return tasks.computeIfAbsent(new EvalSetKey(stream, task), k -> new TaskMeters(Tags.of("stream", stream, "task", task)));
    }

    private Value gauge(String name, String description, Tags tags, List<Meter> registered) {
        Value value = new Value();
        registered.add(Gauge.builder(name, value, Value::get).description(description).tags(tags).register(registry));
        return value;
    }

    /** A gauge's current value; NaN when undefined. */
    private static final class Value {
        private volatile double value = Double.NaN;

        void set(Number v) {
            value = v == null ? Double.NaN : v.doubleValue();
        }

        void set(double v) {
            value = v;
        }

        double get() {
            return value;
        }
    }

    private final class StreamMeters {
        final List<Meter> meters = new ArrayList<>();
        final Value acc;
        final Value minAcc;
        final Value wcAcc;
        final Value wf10;
        final Value wf100;
        final Value forgetting;
        final Value bwt;
        final Value iteration;
        final Value lag;
        final Counter evaluations;
        final Counter duplicates;
        final Counter rejected;
        final Counter thinned;
        final Timer seconds;

        StreamMeters(Tags tags) {
            acc = gauge("clpipe.eval.acc", "ACC: mean current score over the tasks learned so far", tags, meters);
            minAcc = gauge("clpipe.eval.min.acc", "min-ACC: mean over earlier tasks of their worst score since learned", tags, meters);
            wcAcc = gauge("clpipe.eval.wc.acc", "WC-ACC: current task's score / k + (1 - 1/k) min-ACC", tags, meters);
            wf10 = gauge("clpipe.eval.wf10", "Windowed forgetting over 10 evaluations, mean over tasks", tags, meters);
            wf100 = gauge("clpipe.eval.wf100", "Windowed forgetting over 100 evaluations, mean over tasks", tags, meters);
            forgetting = gauge("clpipe.eval.forgetting", "Forgetting (Chaudhry 2018) over the accuracy matrix", tags, meters);
            bwt = gauge("clpipe.eval.bwt", "Backward transfer over the accuracy matrix", tags, meters);
            iteration = gauge("clpipe.eval.iteration", "Latest snapshot version evaluated", tags, meters);
            lag = gauge("clpipe.eval.lag.versions", "Latest snapshot version seen minus latest evaluated", tags, meters);
            evaluations = Counter.builder("clpipe.eval.evaluations").description("Snapshots evaluated").tags(tags)
                    .register(registry);
            duplicates = Counter.builder("clpipe.eval.duplicates")
                    .description("Snapshots skipped because their version was already evaluated").tags(tags).register(registry);
            rejected = Counter.builder("clpipe.eval.rejected")
                    .description("Snapshots that could not be evaluated (corrupt, unknown spec, mismatched parameters)")
                    .tags(tags).register(registry);
            thinned = Counter.builder("clpipe.eval.thinned")
                    .description("Snapshots skipped by thinning while the evaluator was behind (eval.thin.backlog)")
                    .tags(tags).register(registry);
            seconds = Timer.builder("clpipe.eval.seconds").description("Time to score one snapshot on every seen task")
                    .tags(tags).register(registry);
            meters.addAll(List.of(evaluations, duplicates, rejected, thinned, seconds));
        }
    }

    private final class TaskMeters {
        final List<Meter> meters = new ArrayList<>();
        final Value accuracy;
        final Value loss;
        final Value gapDepth;

        TaskMeters(Tags tags) {
            accuracy = gauge("clpipe.eval.accuracy", "Accuracy of the latest evaluated snapshot on the task's eval subset", tags, meters);
            loss = gauge("clpipe.eval.loss", "Mean cross-entropy (nats) of the latest snapshot on the task's eval subset", tags, meters);
            gapDepth = gauge("clpipe.eval.gap.depth",
                    "Stability-gap depth of this old task at the latest boundary (score before minus worst after)", tags, meters);
        }
    }
}
