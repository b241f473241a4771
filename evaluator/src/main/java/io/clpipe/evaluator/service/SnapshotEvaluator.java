package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.ContinualMetricsEngine;
import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.EvalSet;
import io.clpipe.evaluator.engine.EvalSetKey;
import io.clpipe.evaluator.engine.Evaluation;
import io.clpipe.evaluator.engine.MetricsSnapshot;
import io.clpipe.models.EvalResult;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.ModelSpecCodec;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.TaskMetrics;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns model snapshots into metrics records, without Kafka: deduplicates by version per stream,
 * scores every seen task's eval subset with the snapshot's parameters, feeds the stream's metrics
 * engine and builds the record. Also replays published records into the engines (restart catch-up)
 * and exports/restores everything it holds. Not thread-safe.
 */
final class SnapshotEvaluator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SnapshotEvaluator.class);

    /** What became of one snapshot. */
    sealed interface Outcome {
        /** Evaluated; {@code metrics} is the record to publish. */
        record Evaluated(IterationMetrics metrics) implements Outcome {
        }

        /** Its version was already evaluated (a learner restart republishes snapshots). */
        record Duplicate(String stream, long version, long lastEvaluated) implements Outcome {
        }

        /** It cannot be evaluated; skipped. */
        record Rejected(String stream, long version, String reason) implements Outcome {
        }
    }

    private final EvaluatorServiceConfig config;
    private final EvalIntake intake;
    private final EvalBatches batches;
    private final EvaluatorMeters meters;
    private final Clock clock;
    private final Map<String, StreamTrack> tracks = new LinkedHashMap<>();
    private final Map<EvalSetKey, String> unscoredReason = new HashMap<>();
    private final TransferScorer transfers;

    SnapshotEvaluator(EvaluatorServiceConfig config, EvalIntake intake, EvaluatorMeters meters, Clock clock) {
        this.config = config;
        this.transfers = new TransferScorer(new HeldModelStore(config.stateDir()));
        this.intake = intake;
        this.batches = new EvalBatches(config.textContext());
        this.meters = meters;
        this.clock = clock;
    }

    Outcome evaluate(ModelSnapshot snapshot) {
        return evaluate(snapshot, null);
    }

    /**
     * @param scored the snapshot's per-task scores computed elsewhere (a scorer in spread mode, with
     *               {@link SnapshotScoring}), or null to score them here
     */
    Outcome evaluate(ModelSnapshot snapshot, Map<String, TaskMetrics> scored) {
        String stream = snapshot.getStream();
        long version = snapshot.getVersion();
        StreamTrack track = tracks.computeIfAbsent(stream, s -> {
            log.info("Stream {} first seen (snapshot version {})", s, version);
            return new StreamTrack(s);
        });
        track.latestSeen = Math.max(track.latestSeen, version);
        try {
            if (version <= track.lastEvaluated) {
                meters.duplicate(stream);
                log.debug("Stream {} version {} skipped: version {} was already evaluated", stream, version, track.lastEvaluated);
                return new Outcome.Duplicate(stream, version, track.lastEvaluated);
            }
            return score(track, snapshot, scored);
        } catch (IllegalArgumentException | IllegalStateException e) {
            meters.rejected(stream);
            log.error("Stream {} version {} cannot be evaluated and is skipped: {}", stream, version, e.getMessage());
            return new Outcome.Rejected(stream, version, e.getMessage());
        } finally {
            meters.progress(stream, track.latestSeen, track.lastEvaluated);
        }
    }

    /**
     * What thinning needs of a stream before its next snapshot.
     *
     * @param evaluated     whether a version of it was evaluated (or replayed)
     * @param lastEvaluated its latest evaluated version, −1 if none
     * @param lastTask      the task of that version
     * @param gapBoundary   the boundary of its open stability gaps, −1 if none
     */
    record Position(boolean evaluated, long lastEvaluated, String lastTask, long gapBoundary) {
    }

    Position position(String stream) {
        StreamTrack track = tracks.get(stream);
        if (track == null || track.lastEvaluated < 0) {
            return new Position(false, -1, null, -1);
        }
        return new Position(true, track.lastEvaluated, track.lastTask, track.engine == null ? -1 : track.engine.openGapBoundary());
    }

    /** A version read and deliberately not scored (thinning): counted and seen, never evaluated. */
    void thinned(String stream, long version) {
        StreamTrack track = tracks.computeIfAbsent(stream, StreamTrack::new);
        track.latestSeen = Math.max(track.latestSeen, version);
        meters.thinned(stream);
        meters.progress(stream, track.latestSeen, track.lastEvaluated);
    }

    private Outcome score(StreamTrack track, ModelSnapshot snapshot, Map<String, TaskMetrics> scored) {
        ModelSpec spec = ModelSpecCodec.decode(snapshot.getModelSpec());
        Direction direction = config.direction().orElse(EvalBatches.isText(spec) ? Direction.LOSS : Direction.ACCURACY);
        if (track.engine != null && track.engine.config().direction() != direction) {
            throw new IllegalArgumentException("the stream is evaluated by " + track.engine.config().direction().label()
                    + ", this snapshot's model (" + spec + ") by " + direction.label());
        }
        float[] parameters = ParameterBytes.verifiedParameters(snapshot);
        Model model = track.model(snapshot.getModelSpec(), spec);
        if (parameters.length != model.parameterCount()) {
            throw new IllegalArgumentException(parameters.length + " parameters, the spec '" + snapshot.getModelSpec()
                    + "' has " + model.parameterCount());
        }
        Timer.Sample timer = meters.startTimer();
        model.loadParameters(parameters);
        String stream = track.stream;
        long version = snapshot.getVersion();
        Map<String, TaskMetrics> tasks = new LinkedHashMap<>();
        for (String task : tasksToScore(snapshot)) {
            tasks.put(task, scored == null ? scoreTask(stream, version, task, model, spec)
                    : scored.getOrDefault(task, new TaskMetrics(null, null, 0L)));
        }
        if (track.engine == null) {
            track.engine = new ContinualMetricsEngine(config.engineConfig(direction));
        }
        transfers.beforeRecord(track.engine, snapshot, parameters, model, tasks,
                (t, m) -> quietScore(stream, t, m, spec, direction));
        String task = snapshot.getTask();
        noticeBoundary(track, version, task);
        Optional<Evaluation> evaluation = MetricsRecords.evaluation(version, task, tasks, direction);
        MetricsSnapshot metrics = evaluation.map(track.engine::record).orElse(null);
        if (metrics == null) {
            log.warn("Stream {} version {}: no task could be scored; published without aggregates", stream, version);
        }
        track.lastEvaluated = version;
        track.lastTask = task;
        meters.evaluated(stream, version, tasks, metrics, timer);
        IterationMetrics record = MetricsRecords.record(stream, version, task, tasks, metrics, direction, clock.millis());
        MetricsRecords.addLearnerState(record, snapshot.getLearningRate(), snapshot.getLoss());
        if (EvalBatches.isText(spec)) {
            MetricsRecords.addBitsPerByte(record, tasks);
        }
        return new Outcome.Evaluated(record);
    }

    private static List<String> tasksToScore(ModelSnapshot snapshot) {
        List<String> tasks = new ArrayList<>(snapshot.getSeenTasks());
        if (snapshot.getTask() == null && !tasks.contains(EvalIntake.TASK_FREE)) {
            tasks.add(EvalIntake.TASK_FREE);
        }
        return tasks;
    }

    /** Accuracy and loss on the task's eval subset, or nulls with 0 samples when it cannot be scored. */
    private TaskMetrics scoreTask(String stream, long version, String task, Model model, ModelSpec spec) {
        Optional<EvalSet> set = intake.set(stream, task);
        String problem;
        if (set.isEmpty()) {
            problem = "it has no eval samples yet";
        } else {
            EvalBatches.Prepared prepared = batches.prepare(set.get(), spec);
            problem = prepared.problem();
            if (problem == null) {
                try {
                    EvalResult r = model.evaluate(prepared.batch());
                    noteScored(stream, task);
                    return new TaskMetrics(r.accuracy(), r.meanLoss(), r.count());
                } catch (IllegalArgumentException e) {
                    problem = "its samples do not fit the model: " + e.getMessage();
                }
            }
        }
        EvalSetKey key = new EvalSetKey(stream, task);
        if (!problem.equals(unscoredReason.put(key, problem))) {
            log.warn("Stream {} version {}: task {} not scored because {}; reported with accuracy null, samples 0 until it can be",
                    stream, version, task, problem);
        }
        return new TaskMetrics(null, null, 0L);
    }

    /** The score of {@code model} on {@code task}'s eval set in the direction's unit, or null if it cannot be scored now. */
    private Double quietScore(String stream, String task, Model model, ModelSpec spec, Direction direction) {
        Optional<EvalSet> set = intake.set(stream, task);
        if (set.isEmpty()) {
            return null;
        }
        EvalBatches.Prepared prepared = batches.prepare(set.get(), spec);
        if (prepared.problem() != null) {
            return null;
        }
        try {
            EvalResult r = model.evaluate(prepared.batch());
            double score = direction == Direction.ACCURACY ? r.accuracy() : r.meanLoss();
            return Double.isFinite(score) ? score : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Reads back the models kept for forward transfer (after a restart or a rolled-back batch). */
    void reloadHeldModels() {
        transfers.reload();
    }

    /** A state including every score obtained so far is saved. */
    void stateSaved() {
        transfers.stateSaved();
    }

    /** Models kept for forward transfer now. */
    int heldModels() {
        return transfers.held();
    }

    private void noteScored(String stream, String task) {
        if (unscoredReason.remove(new EvalSetKey(stream, task)) != null) {
            log.info("Stream {}: task {} is scored from now on", stream, task);
        }
    }

    private static void noticeBoundary(StreamTrack track, long version, String task) {
        if (track.lastTask != null && !Objects.equals(EvalIntake.taskOf(track.lastTask), EvalIntake.taskOf(task))) {
            log.info("Stream {}: boundary at version {}: task {} -> {}", track.stream, version, track.lastTask,
                    EvalIntake.taskOf(task));
        }
    }

    /**
     * Feeds a published record (read back from the metrics topic, by this or another evaluator of the
     * group) into the stream's engine, as if it had just been evaluated; records at or below the
     * stream's last evaluated version are ignored. Returns whether it was applied.
     *
     * @param exportMeters whether this evaluator exports the stream's meters (it evaluates the stream)
     */
    boolean replay(IterationMetrics published, boolean exportMeters) {
        String stream = published.getStream();
        StreamTrack track = tracks.computeIfAbsent(stream, StreamTrack::new);
        long version = published.getIteration();
        if (version <= track.lastEvaluated) {
            return false;
        }
        Direction direction = MetricsRecords.direction(published.getDirection());
        if (track.engine == null) {
            track.engine = new ContinualMetricsEngine(config.engineConfig(direction));
        } else if (track.engine.config().direction() != direction) {
            throw new IllegalStateException("metrics record of stream " + stream + " version " + version + " is "
                    + direction.label() + "-based, the stream's engine " + track.engine.config().direction().label()
                    + "-based: is another evaluator writing to the metrics topic?");
        }
        MetricsRecords.adoptLateScores(published, track.engine);
        Optional<MetricsSnapshot> metrics = MetricsRecords.evaluation(published).map(track.engine::record);
        track.lastEvaluated = version;
        track.latestSeen = Math.max(track.latestSeen, version);
        track.lastTask = published.getTask();
        if (exportMeters) {
            metrics.ifPresent(m -> meters.aggregates(stream, m));
            meters.progress(stream, track.latestSeen, track.lastEvaluated);
        }
        return true;
    }

    List<EvaluatorState.StreamProgress> export() {
        return tracks.values().stream().map(StreamTrack::export).toList();
    }

    /**
     * Sets every stream to the given progress; streams not in it are forgotten (their models closed).
     * Meters are left alone: the next evaluation of a stream sets them.
     */
    void restore(List<EvaluatorState.StreamProgress> progress) {
        Map<String, EvaluatorState.StreamProgress> byStream = new LinkedHashMap<>();
        progress.forEach(p -> byStream.put(p.stream(), p));
        tracks.values().removeIf(track -> {
            boolean drop = !byStream.containsKey(track.stream);
            if (drop) {
                track.close();
            }
            return drop;
        });
        byStream.forEach((stream, p) -> tracks.computeIfAbsent(stream, StreamTrack::new).reset(p));
    }

    /** Streams whose saved engine settings differ from the configured ones (the saved ones are kept). */
    List<String> streamsWithOtherSettings() {
        List<String> out = new ArrayList<>();
        for (StreamTrack track : tracks.values()) {
            if (track.engine != null) {
                EngineConfig saved = track.engine.config();
                if (!saved.equals(config.engineConfig(saved.direction()))) {
                    out.add(track.stream + " " + saved);
                }
            }
        }
        return out;
    }

    /** Latest evaluated version per stream. */
    Map<String, Long> lastEvaluated() {
        Map<String, Long> out = new LinkedHashMap<>();
        tracks.forEach((stream, track) -> out.put(stream, track.lastEvaluated));
        return out;
    }

    @Override
    public void close() {
        tracks.values().forEach(StreamTrack::close);
        tracks.clear();
    }
}
