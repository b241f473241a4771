package io.clpipe.learner.engine;

import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.learner.engine.optim.GlobalNormClipper;
import io.clpipe.learner.engine.optim.Optimizer;
import io.clpipe.learner.engine.replay.ReplayBuffer;
import io.clpipe.learner.engine.replay.ReplayState;
import io.clpipe.learner.engine.schedule.Infinite;
import io.clpipe.learner.engine.schedule.LrSchedule;
import io.clpipe.learner.engine.schedule.SchedulePosition;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.Models;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The learning loop of one stream: mixes new and replayed samples, computes gradients, guards
 * against divergence, clips, updates, advances the schedule, applies Reptile and feeds the replay
 * buffer. Knows nothing of where samples come from.
 *
 * <p>Not thread-safe; one learner per thread, like its model. The learner owns its model:
 * {@link #close()} closes it.
 */
public final class ContinualLearner implements AutoCloseable {

    private final Model model;
    private final LearnerConfig config;
    private final DivergenceListener listener;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final ReplayBuffer buffer;
    private final Reptile reptile;
    private final DivergenceGuard guard;
    private final BatchMixer mixer;
    private Xoshiro256 rng;
    private final int replayPerBatch;
    private final Set<Integer> seenTasks = new LinkedHashSet<>();
    private final int[] currentTaskKey = new int[1];

    private SchedulePosition position;
    private long iteration;
    private double lastLoss = Double.NaN;
    private int currentTask = Sample.NO_TASK;
    /** The last step's new samples as its forward pass saw them, before the update (test-then-train). */
    private final int[] preUpdatePredicted;
    private final double[] preUpdateLoss;
    private final int[] preUpdateLabel;
    private int preUpdateRows;

    public ContinualLearner(Model model, LearnerConfig config, DivergenceListener listener) {
        this.model = model;
        this.config = config;
        this.listener = listener;
        int maxRows = model.spec().maxBatch();
        if (config.batchSize() > maxRows) {
            throw new IllegalArgumentException("batch size " + config.batchSize() + " exceeds the model's maxBatch " + maxRows);
        }
        this.optimizer = config.optimizer().create(model.parameterCount());
        this.schedule = config.schedule();
        this.position = schedule.start();
        this.buffer = config.replay().createBuffer();
        this.replayPerBatch = config.replay().replayPerBatch(config.batchSize());
        this.mixer = new BatchMixer(model.spec().inputDim(), maxRows, buffer == null ? 0 : buffer.capacity(),
                config.replay().lossWeights());
        this.rng = new Xoshiro256(config.seed());
        this.preUpdatePredicted = new int[maxRows];
        this.preUpdateLoss = new double[maxRows];
        this.preUpdateLabel = new int[maxRows];
        this.reptile = config.reptile().enabled() ? new Reptile(config.reptile(), model.parameters()) : null;
        List<INDArray> tracked = new ArrayList<>();
        tracked.add(model.parameters());
        if (reptile != null) {
            tracked.add(reptile.anchor());
        }
        this.guard = new DivergenceGuard(config.guard(), tracked, optimizer, 0);
    }

    public ContinualLearner(Model model, LearnerConfig config) {
        this(model, config, DivergenceListener.ignore());
    }

    /** A learner on a new model whose initial weights come from {@link LearnerConfig#modelSeed()}. */
    public static ContinualLearner create(ModelSpec spec, LearnerConfig config, DivergenceListener listener) {
        return new ContinualLearner(Models.create(spec, config.modelSeed()), config, listener);
    }

    /**
     * One training step on {@code fresh} new samples (normally {@link LearnerConfig#newPerStep()} of
     * them) plus round(r·B) replayed ones. A non-finite loss or gradient applies nothing, restores
     * the last good state, lowers the rate and tells the listener; such a step still counts as an
     * iteration and advances the schedule, but its samples do not enter the replay buffer.
     */
    public StepResult step(List<Sample> fresh) {
        if (fresh.isEmpty()) {
            throw new IllegalArgumentException("a step needs at least one new sample");
        }
        int replay = config.replay().fillsWithNew() ? Math.min(replayPerBatch, Math.max(0, config.batchSize() - fresh.size()))
                : replayPerBatch;
        BatchMixer.Mixed mixed = mixer.mix(fresh, buffer, replay, rng);
        double loss = model.computeGradients(mixed.batch());
        recordPreUpdate(mixed.batch(), mixed.fresh());
        INDArray gradients = model.gradients();
        double norm = GlobalNormClipper.norm(gradients);
        double lr = learningRate();
        iteration++;
        position = position.advance(mixed.batch().size());
        lastLoss = loss;
        DivergenceEvent.Cause cause = DivergenceGuard.check(loss, norm);
        if (cause != null) {
            listener.onDivergence(guard.rollback(iteration, cause, loss, norm));
            return new StepResult(iteration, loss, lr, norm, mixed.fresh(), mixed.replayed(), true);
        }
        config.clipping().clip(gradients, norm);
        optimizer.step(model.parameters(), gradients, lr);
        if (reptile != null) {
            reptile.afterStep(iteration, model.parameters());
        }
        for (Sample s : fresh) {
            currentTask = s.task();
            seenTasks.add(currentTask);
            if (buffer != null) {
                buffer.add(s, rng);
            }
        }
        guard.afterGoodStep(iteration);
        return new StepResult(iteration, loss, lr, norm, mixed.fresh(), mixed.replayed(), false);
    }

    /** New samples come first in the mixed batch; their predictions are read before anything updates the weights. */
    private void recordPreUpdate(io.clpipe.models.Batch batch, int fresh) {
        preUpdateRows = model.lastForward(batch, fresh, preUpdatePredicted, preUpdateLoss) ? fresh : 0;
        System.arraycopy(batch.labels(), 0, preUpdateLabel, 0, preUpdateRows);
    }

    /**
     * Feeds the last step's new samples, in order, to a prequential meter: what the model predicted
     * for each before that step's update (also for a step the divergence guard rejected). Nothing if
     * the model does not report its forward pass.
     *
     * @return the accuracy of that step's new samples alone (NaN if none were scored)
     */
    public double scorePreUpdate(Prequential into) {
        int hits = 0;
        for (int r = 0; r < preUpdateRows; r++) {
            boolean hit = preUpdatePredicted[r] == preUpdateLabel[r];
            hits += hit ? 1 : 0;
            into.add(hit, preUpdateLoss[r]);
        }
        return preUpdateRows == 0 ? Double.NaN : (double) hits / preUpdateRows;
    }

    /**
     * New samples the next step should get: {@link LearnerConfig#newPerStep()}, except for a policy that
     * {@linkplain io.clpipe.learner.engine.replay.ReplayConfig#fillsWithNew() fills with new samples}:
     * there B minus the replay it can draw for the current task, so that every batch holds B samples.
     */
    public int freshPerStep() {
        if (buffer == null || !config.replay().fillsWithNew()) {
            return config.newPerStep();
        }
        currentTaskKey[0] = currentTask;
        return config.batchSize() - Math.min(replayPerBatch, buffer.replayableCount(currentTaskKey, 1));
    }

    /**
     * A task boundary (or detected drift): the schedule re-warms (infinite schedules hold their
     * constant rate) and, if configured, the optimizer state is reset.
     */
    public void onBoundary(int task) {
        position = schedule.onBoundary(position);
        if (config.resetOptimizerOnBoundary()) {
            optimizer.reset();
            // a later rollback must not bring back the momentum this boundary discarded
            guard.save(iteration);
        }
        currentTask = task;
        seenTasks.add(task);
    }

    /** Asks an infinite schedule to anneal to its floor; other schedules ignore it. */
    public void requestAnneal() {
        position = schedule.requestAnneal(position);
    }

    /** Whether an infinite schedule has finished its requested anneal: the weights now are the deployable ones. */
    public boolean annealed() {
        return schedule instanceof Infinite infinite && infinite.annealed(position);
    }

    public long iteration() {
        return iteration;
    }

    /** The rate the next step will use: the schedule's rate times the divergence guard's scale. */
    public double learningRate() {
        return schedule.rate(position) * guard.lrScale();
    }

    public double lastLoss() {
        return lastLoss;
    }

    public int currentTask() {
        return currentTask;
    }

    /** Tasks seen so far, in order of first appearance. */
    public List<Integer> seenTasks() {
        return List.copyOf(seenTasks);
    }

    public SchedulePosition schedulePosition() {
        return position;
    }

    public int replayBufferSize() {
        return buffer == null ? 0 : buffer.size();
    }

    public LearnerConfig config() {
        return config;
    }

    /** The model being trained (to evaluate it or to copy its parameters into a snapshot). */
    public Model model() {
        return model;
    }

    /** A copy of the whole training state, with {@code callerData} (e.g. consumed offsets) attached. */
    public LearnerState state(Map<String, String> callerData) {
        List<float[]> optimizerVectors = optimizer.stateVectors().stream().map(INDArray::toFloatVector).toList();
        return new LearnerState(model.spec().toString(), iteration, lastLoss, guard.lrScale(), currentTask,
                seenTasks.stream().mapToInt(Integer::intValue).toArray(), model.parametersToArray(),
                new LearnerState.OptimizerState(optimizer.kind(), optimizer.stepCount(), optimizerVectors),
                position, buffer == null ? null : buffer.state(),
                reptile == null ? null : reptile.anchor().toFloatVector(), rng.state(), callerData);
    }

    /**
     * Resumes from {@code state}, taken from a learner with the same model spec and configuration.
     * Continuing then gives the same weights, bit for bit, as never having stopped.
     */
    public void restore(LearnerState state) {
        String spec = model.spec().toString();
        if (!spec.equals(state.modelSpec()) || state.parameters().length != model.parameterCount()) {
            throw new IllegalArgumentException("checkpoint is for " + state.modelSpec() + " (" + state.parameters().length
                    + " parameters), this learner trains " + spec + " (" + model.parameterCount() + ")");
        }
        LearnerState.OptimizerState opt = state.optimizer();
        List<INDArray> vectors = optimizer.stateVectors();
        if (!opt.kind().equals(optimizer.kind()) || opt.vectors().size() != vectors.size()) {
            throw new IllegalArgumentException("checkpoint optimizer " + opt.kind() + " with " + opt.vectors().size()
                    + " state vectors does not match " + optimizer.kind() + " with " + vectors.size());
        }
        if ((state.replay() == null) != (buffer == null) || (state.reptileAnchor() == null) != (reptile == null)) {
            throw new IllegalArgumentException("checkpoint replay/Reptile settings differ from this learner's");
        }
        model.loadParameters(state.parameters());
        for (int i = 0; i < vectors.size(); i++) {
            assignFlat(vectors.get(i), opt.vectors().get(i), "optimizer vector " + i);
        }
        optimizer.restoreStepCount(opt.stepCount());
        if (buffer != null) {
            buffer.restore(state.replay());
        }
        if (reptile != null) {
            assignFlat(reptile.anchor(), state.reptileAnchor(), "Reptile anchor");
        }
        rng = Xoshiro256.fromState(state.rng());
        position = state.schedule();
        iteration = state.iteration();
        lastLoss = state.lastLoss();
        currentTask = state.currentTask();
        seenTasks.clear();
        Arrays.stream(state.seenTasks()).forEach(seenTasks::add);
        guard.restoreLrScale(state.lrScale());
        guard.save(iteration);
    }

    private static void assignFlat(INDArray target, float[] values, String what) {
        if (values.length != target.length()) {
            throw new IllegalArgumentException(what + " has " + values.length + " values, expected " + target.length());
        }
        target.assign(Nd4j.createFromArray(values).reshape(target.shape()));
    }

    /** Just the replay buffer's state (e.g. to inspect it); {@code null} without a buffer. */
    public ReplayState replayState() {
        return buffer == null ? null : buffer.state();
    }

    @Override
    public void close() {
        model.close();
    }
}
