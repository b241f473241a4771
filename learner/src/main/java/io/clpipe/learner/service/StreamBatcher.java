package io.clpipe.learner.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The batching and offset bookkeeping of one stream, without Kafka or a model: new training units
 * accumulate in offset order; every {@code newPerStep} of them make a step. A change of task between
 * consecutive records is a boundary: the partial batch of the old task is trained first as its own
 * smaller step (so no batch mixes two tasks and the step sequence depends only on the records, not on
 * how polls cut them), then the sink hears of the boundary, then the new record is batched.
 *
 * <p>{@link #trainedPosition()} is the first unit not yet trained: what a checkpoint stores. Pending
 * units are not trained and not checkpointed; after a restart they are consumed again. Records before
 * the resume position, and units of the resume record before its unit index, are ignored, so nothing
 * is trained twice.
 *
 * @param <U> a training unit (an engine sample in the service)
 */
final class StreamBatcher<U> {

    /** What the batcher asks of its owner, synchronously and in record order. */
    interface Sink<U> {
        /** Train one step on {@code batch} (at most {@code newPerStep} units, all of one task). */
        void step(List<U> batch);

        /** The stream's task changed from {@code previous} to {@code task} (either may be null: task-free). */
        void boundary(String previous, String task);
    }

    private record Pending<U>(long offset, int unit, U value) {
    }

    private final IntSupplier newPerStep;
    private final ArrayDeque<Pending<U>> pending = new ArrayDeque<>();
    private StreamPosition next;
    private boolean started;
    private String task;

    /**
     * @param resumeAt the first unit not trained yet (a checkpoint's position, or a new stream's first record)
     * @param started  whether the stream has had a record before (else the first task is no boundary)
     * @param task     the current task when started (null: task-free)
     */
    StreamBatcher(int newPerStep, StreamPosition resumeAt, boolean started, String task) {
        this(positive(newPerStep), resumeAt, started, task);
    }

    /**
     * @param newPerStep asked before each step (a replay policy that fills batches with new samples
     *                   while it has nothing to replay changes it); must stay positive
     */
    StreamBatcher(IntSupplier newPerStep, StreamPosition resumeAt, boolean started, String task) {
        this.newPerStep = Objects.requireNonNull(newPerStep);
        this.next = Objects.requireNonNull(resumeAt);
        this.started = started;
        this.task = task;
    }

    /** False for a record that was trained or batched already (before the resume position). */
    boolean isNew(long offset) {
        return offset >= next.offset();
    }

    /**
     * Feeds the training units of the record at {@code offset}; calls the sink for every step and
     * boundary this causes. Records must come in offset order; old ones are ignored.
     */
    void offer(long offset, String recordTask, List<U> units, Sink<U> sink) {
        if (!isNew(offset)) {
            return;
        }
        int skip = offset == next.offset() ? Math.min(next.unit(), units.size()) : 0;
        if (skip == units.size()) {
            next = StreamPosition.at(offset + 1);
            return;
        }
        if (!started) {
            started = true;
            task = recordTask;
        } else if (!Objects.equals(task, recordTask)) {
            if (!pending.isEmpty()) {
                sink.step(take(pending.size()));
            }
            String previous = task;
            task = recordTask;
            sink.boundary(previous, recordTask);
        }
        for (int i = skip; i < units.size(); i++) {
            pending.addLast(new Pending<>(offset, i, units.get(i)));
        }
        next = StreamPosition.at(offset + 1);
        for (int n = stepSize(); pending.size() >= n; n = stepSize()) {
            sink.step(take(n));
        }
    }

    private int stepSize() {
        int n = newPerStep.getAsInt();
        if (n <= 0) {
            throw new IllegalStateException("new units per step must be positive, got " + n);
        }
        return n;
    }

    /**
     * Trains every pending unit now as one (short) step: the batch is cut here. Returns how many units
     * that step had (0: nothing was pending, no step).
     */
    int flush(Sink<U> sink) {
        int n = pending.size();
        if (n > 0) {
            sink.step(take(n));
        }
        return n;
    }

    private static IntSupplier positive(int newPerStep) {
        if (newPerStep <= 0) {
            throw new IllegalArgumentException("newPerStep must be positive, got " + newPerStep);
        }
        return () -> newPerStep;
    }

    /** Marks a record that yields no training unit (e.g. an invalid one) as consumed. */
    void skip(long offset) {
        if (isNew(offset)) {
            next = StreamPosition.at(offset + 1);
        }
    }

    private List<U> take(int n) {
        List<U> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(pending.removeFirst().value());
        }
        return batch;
    }

    /** The first unit not yet trained: pending units come after it. */
    StreamPosition trainedPosition() {
        Pending<U> first = pending.peekFirst();
        return first == null ? next : new StreamPosition(first.offset(), first.unit());
    }

    int pendingCount() {
        return pending.size();
    }

    boolean started() {
        return started;
    }

    /** The current task (null: task-free or not started). */
    String task() {
        return task;
    }
}
