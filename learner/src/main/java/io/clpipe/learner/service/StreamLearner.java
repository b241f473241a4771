package io.clpipe.learner.service;

import io.clpipe.drift.Detection;
import io.clpipe.drift.LossMonitor;
import io.clpipe.drift.Signal;
import io.clpipe.learner.engine.ContinualLearner;
import io.clpipe.learner.engine.DivergenceEvent;
import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.engine.StepResult;
import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.ModelSpecCodec;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.ModelSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's model at work: records in, steps, boundaries, snapshots on the evaluation plan's
 * cadence, divergence events out, and the state a checkpoint needs. No Kafka consumer and no maths:
 * batching is {@link StreamBatcher}'s, learning the engine's.
 *
 * <p>Snapshot rules: version = iteration. After a step at iteration n, a snapshot is published when
 * {@code plan.shouldEvaluate(n, n − b)} (b: iteration of the last boundary, −1 before any). Version 0
 * is the untrained model, published when the stream is first seen. {@code task} is the task being
 * learned; {@code seenTasks} the tasks that have appeared in the stream so far, in order.
 *
 * <p>Boundary contract (docs/operations.md, "Task boundaries"): a boundary at iteration b means b is
 * the last iteration of the old task. Version b is ALWAYS published, whatever the cadence, labelled
 * with the OLD task (a version is published once: if the cadence already published it after step b,
 * that snapshot was labelled with the old task too); every version after b is labelled with the new
 * task, and step b + 1 is the first step of the re-warmed schedule, at a positive learning rate.
 */
final class StreamLearner implements StreamBatcher.Sink<Sample>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamLearner.class);

    private final StreamContext ctx;
    private final String stream;
    private final String topic;
    private final int partition;
    private final ModelSpec spec;
    private final String specText;
    private final ContinualLearner learner;
    private final StreamBatcher<Sample> batcher;
    private final TaskNames tasks;
    private final TrainingUnits units;
    private final StreamMeters meters;
    private final Map<Integer, Long> controlPositions;
    private final LossMonitor lossMonitor;
    private final StreamPrequential prequential;
    private long boundaryIteration;
    private long lastSnapshot;
    private long samplesTrained;
    private double lastStepRate;
    private int stepsSinceCheckpoint;
    private StreamPosition checkpointed;
    private StreamPosition writing;
    private final LingerCuts cuts;
    private long lastRecordMillis;
    private boolean deferSnapshots;
    private boolean snapshotOwed;

    private StreamLearner(StreamContext ctx, String stream, String topic, int partition, ModelSpec spec, StreamCheckpoint cp,
                          LearnerState state) {
        this.ctx = ctx;
        Map<String, String> resumed = state == null ? Map.of() : state.callerData();
        this.prequential = new StreamPrequential(ctx.prequentialFading(), resumed);
        this.stream = stream;
        this.topic = topic;
        this.partition = partition;
        this.spec = spec;
        this.specText = ModelSpecCodec.encode(spec);
        this.learner = ContinualLearner.create(spec, ctx.config(), this::onDivergence);
        try {
            if (state != null) {
                learner.restore(state);
            }
        } catch (RuntimeException e) {
            learner.close();
            throw e;
        }
        this.batcher = new StreamBatcher<>(learner::freshPerStep, cp.position(), cp.started(), cp.task());
        this.tasks = new TaskNames();
        cp.tasks().forEach(tasks::idOf);
        this.units = new TrainingUnits(spec);
        this.controlPositions = new TreeMap<>(cp.controlPositions());
        this.boundaryIteration = cp.boundaryIteration();
        this.lastSnapshot = cp.lastSnapshot();
        this.samplesTrained = cp.samplesTrained();
        this.lastStepRate = cp.lastStepRate();
        this.checkpointed = cp.position();
        this.lossMonitor = ctx.drift().watches(Signal.LOSS)
                ? new LossMonitor(ctx.drift(), LearnerDrift.fromCallerData(resumed))
                : null;
        this.cuts = LingerCuts.fromCallerData(resumed);
        this.lastRecordMillis = ctx.clock().millis();
        this.meters = new StreamMeters(ctx.registry(), stream);
        meters.prequential(prequential.accuracy(), prequential.loss());
        meters.update(learner.iteration(), learner.lastLoss(), learner.learningRate(), learner.replayBufferSize());
        meters.checkpoint(0, ctx.clock().millis());
        meters.task(cp.task());
    }

    /**
     * A new stream, first seen at {@code firstOffset} with a record of task {@code firstTask}; its
     * untrained model is published as version 0.
     */
    static StreamLearner create(StreamContext ctx, String stream, String topic, int partition, ModelSpec spec, long firstOffset,
                                String firstTask, Map<Integer, Long> controlPositions) {
        List<String> tasks = firstTask == null ? List.of() : List.of(firstTask);
        StreamCheckpoint cp = new StreamCheckpoint(stream, ModelSpecCodec.encode(spec), topic, partition,
                StreamPosition.at(firstOffset), false, null, tasks, -1, -1, 0, controlPositions, Double.NaN, Double.NaN);
        StreamLearner s = new StreamLearner(ctx, stream, topic, partition, spec, cp, null);
        if (ctx.plan().shouldEvaluate(0, -1)) {
            s.publishSnapshot(firstTask, s.learner.learningRate());
        }
        return s;
    }

    /**
     * A stream resumed from its checkpoint. A snapshot the plan wanted at the checkpoint's iteration
     * but that was not published yet (a linger cut checkpoints before it publishes) is published now.
     */
    static StreamLearner restore(StreamContext ctx, LearnerState state) {
        StreamCheckpoint cp = StreamCheckpoint.fromCallerData(state.callerData());
        StreamLearner s = new StreamLearner(ctx, cp.stream(), cp.trainTopic(), cp.trainPartition(),
                ModelSpecCodec.decode(cp.modelSpec()), cp, state);
        long n = s.learner.iteration();
        if (s.lastSnapshot < n && ctx.plan().shouldEvaluate(n, s.boundaryIteration < 0 ? -1 : n - s.boundaryIteration)) {
            s.publishSnapshot(s.batcher.task(), s.lastStepRate);
        }
        return s;
    }

    String stream() {
        return stream;
    }

    String topic() {
        return topic;
    }

    int partition() {
        return partition;
    }

    long parameterCount() {
        return learner.model().parameterCount();
    }

    List<String> taskNames() {
        return tasks.names();
    }

    ModelSpec spec() {
        return spec;
    }

    long iteration() {
        return learner.iteration();
    }

    long samplesTrained() {
        return samplesTrained;
    }

    int pending() {
        return batcher.pendingCount();
    }

    /** The first training unit not yet trained (what a checkpoint of this moment resumes from). */
    StreamPosition trainedPosition() {
        return batcher.trainedPosition();
    }

    /** False for a record already trained (or batched) before; such records are not even decoded. */
    boolean isNew(long offset) {
        return batcher.isNew(offset);
    }

    /**
     * Trains on the record at {@code offset} (as far as it completes batches).
     *
     * @return why the record does not fit the model, if it does not; it is then consumed without training
     */
    Optional<String> offer(long offset, io.clpipe.schemas.avro.Sample record) {
        try {
            units.check(record);
        } catch (IllegalArgumentException e) {
            batcher.skip(offset);
            return Optional.of(e.getMessage());
        }
        int task = tasks.idOf(record.getTask());
        lastRecordMillis = ctx.clock().millis();
        batcher.offer(offset, record.getTask(), units.of(record, task), this);
        return Optional.empty();
    }

    /**
     * Whether the pending partial batch should be trained now: {@code lingerMs} ≥ 0, something is
     * pending and the stream has had no new record for {@code lingerMs}. (The caller also requires
     * its partition to be read to the end.)
     */
    boolean lingerDue(long lingerMs) {
        return lingerMs >= 0 && batcher.pendingCount() > 0 && ctx.clock().millis() - lastRecordMillis >= lingerMs;
    }

    /**
     * Cuts the batch here: trains the pending units as one short step. Its snapshot, if the plan
     * wants one, is held back until {@link #publishOwedSnapshot()}: the caller checkpoints first, so
     * that no snapshot of a cut that no checkpoint records is ever published. Returns the step's size.
     */
    int cutBatch() {
        deferSnapshots = true;
        int n;
        try {
            n = batcher.flush(this);
        } finally {
            deferSnapshots = false;
        }
        if (n > 0) {
            cuts.cut(learner.iteration(), batcher.trainedPosition());
            meters.lingerSteps.increment();
        }
        return n;
    }

    /** Publishes the snapshot {@link #cutBatch()} held back, if any. */
    void publishOwedSnapshot() {
        if (snapshotOwed) {
            snapshotOwed = false;
            publishSnapshot(batcher.task(), lastStepRate);
        }
    }

    /** Linger cuts so far and where the last one was (what the checkpoint records). */
    LingerCuts cuts() {
        return cuts;
    }

    /** Consumes a record that yields nothing to train on. */
    void skip(long offset) {
        batcher.skip(offset);
    }

    @Override
    public void step(List<Sample> batch) {
        StepResult r = meters.stepTime.record(() -> learner.step(batch));
        prequential.afterStep(learner);
        meters.prequential(prequential.accuracy(), prequential.loss());
        samplesTrained += batch.size();
        stepsSinceCheckpoint++;
        lastStepRate = r.learningRate();
        meters.samples.increment(batch.size());
        meters.steps.increment();
        meters.stepsSinceCheckpoint(stepsSinceCheckpoint);
        meters.task(batcher.task());
        meters.update(r.iteration(), r.loss(), r.learningRate(), learner.replayBufferSize());
        long n = r.iteration();
        if (ctx.plan().shouldEvaluate(n, boundaryIteration < 0 ? -1 : n - boundaryIteration)) {
            if (deferSnapshots) {
                snapshotOwed = true;
            } else {
                publishSnapshot(batcher.task(), r.learningRate());
            }
        }
        if (lossMonitor != null && !r.diverged()) {
            lossMonitor.observe(r.loss()).ifPresent(this::onLossDrift);
        }
    }

    /** The loss rose: re-warm at this exact iteration, in the same task (the learner cannot relabel samples). */
    private void onLossDrift(Detection d) {
        String task = batcher.task();
        rewarm(tasks.idOf(task), task, d.detail());
        ctx.output().control(LearnerEvents.lossDrift(stream, task, boundaryIteration, d, ctx.clock().millis()));
    }

    @Override
    public void boundary(String previous, String task) {
        if (lossMonitor != null) {
            lossMonitor.restart();
        }
        meters.task(task);
        rewarm(tasks.idOf(task), previous, "task " + previous + " -> " + task);
    }

    /** A boundary after the current iteration b: b's weights go out labelled {@code oldTask}, then the schedule re-warms. */
    private void rewarm(int engineTask, String oldTask, String why) {
        double before = learner.learningRate();
        boundaryIteration = learner.iteration();
        if (lastSnapshot < boundaryIteration) {
            publishSnapshot(oldTask, lastStepRate);
        }
        learner.onBoundary(engineTask);
        meters.boundaries.increment();
        log.info("Stream {}: boundary at iteration {} ({}); next learning rate {} (was {})", stream, boundaryIteration, why,
                learner.learningRate(), before);
    }

    /**
     * Applies an operator event read at {@code offset} of control partition {@code controlPartition},
     * unless this stream applied it before (a checkpoint records how far it got).
     */
    void control(int controlPartition, long offset, ControlEvent event) {
        if (offset < controlPositions.getOrDefault(controlPartition, 0L)) {
            return;
        }
        controlPositions.put(controlPartition, offset + 1);
        if (event.getType() == ControlType.ANNEAL_REQUEST) {
            learner.requestAnneal();
            meters.anneals.increment();
            log.info("Stream {}: anneal requested at iteration {} ({}); next learning rate {}", stream, learner.iteration(),
                    event.getReason() == null ? "no reason given" : event.getReason(), learner.learningRate());
        }
        // A TASK_START here only announces a boundary (ingest writes them, source "ingest" or "user"): boundaries come
        // in-band with the training samples, at an exact position. Applied when polled, one would not be deterministic.
    }

    /** Every event below {@code position} of the control partition has been seen (applied or not ours). */
    void controlSeenUpTo(int controlPartition, long position) {
        controlPositions.merge(controlPartition, position, Math::max);
    }

    Map<Integer, Long> controlPositions() {
        return Map.copyOf(controlPositions);
    }

    boolean checkpointDue(int everySteps) {
        return stepsSinceCheckpoint >= everySteps;
    }

    /** The state to write now; call {@link #checkpointWritten()} once it is on disk. */
    LearnerState checkpointState() {
        writing = batcher.trainedPosition();
        StreamCheckpoint cp = new StreamCheckpoint(stream, specText, topic, partition, writing,
                batcher.started(), batcher.task(), tasks.names(), boundaryIteration, lastSnapshot, samplesTrained,
                controlPositions, lastStepRate, learner.learningRate());
        Map<String, String> data = new HashMap<>(cp.toCallerData());
        if (lossMonitor != null) {
            LearnerDrift.toCallerData(lossMonitor.state(), data);
        }
        prequential.writeTo(data);
        cuts.writeTo(data);
        return learner.state(data);
    }

    void checkpointWritten() {
        checkpointed = writing;
        stepsSinceCheckpoint = 0;
        meters.checkpoints.increment();
        meters.checkpoint(0, ctx.clock().millis());
    }

    /** Where the last checkpoint (or the one this stream was restored from) resumes. */
    StreamPosition checkpointedPosition() {
        return checkpointed;
    }

    private void publishSnapshot(String task, double rate) {
        ModelSnapshot snapshot = ParameterBytes.setParameters(ModelSnapshot.newBuilder(), learner.model().parametersToArray())
                .setStream(stream)
                .setVersion(learner.iteration())
                .setTask(task)
                .setSeenTasks(tasks.seenNames(learner.seenTasks().contains(Sample.NO_TASK)))
                .setLearningRate(rate)
                .setLoss(learner.lastLoss())
                .setModelSpec(specText)
                .setTimestamp(ctx.clock().millis())
                .build();
        int bytes = ctx.output().snapshot(snapshot, prequential.headers());
        lastSnapshot = snapshot.getVersion();
        meters.snapshots.increment();
        meters.snapshotBytes.record(bytes);
    }

    private void onDivergence(DivergenceEvent e) {
        meters.divergences.increment();
        log.warn("Stream {}: step {} diverged ({}, loss {}, gradient norm {}); rolled back to iteration {}, learning-rate scale now {}",
                stream, e.iteration(), e.cause(), e.loss(), e.gradientNorm(), e.restoredIteration(), e.lrScale());
        LearnerEvents.divergence(stream, batcher.task(), e, ctx.clock().millis()).forEach(ctx.output()::control);
    }

    /** Stops reporting gauges for this stream and frees the model. */
    @Override
    public void close() {
        meters.removeGauges();
        learner.close();
    }
}
