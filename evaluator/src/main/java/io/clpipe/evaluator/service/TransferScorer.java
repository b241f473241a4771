package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.ContinualMetricsEngine;
import io.clpipe.evaluator.service.HeldModelStore.HeldModel;
import io.clpipe.models.Model;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.TaskMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forward transfer in the service: b_i (the initial model on task i) and a(i−1, i) (task i−1's last
 * model on task i) need models scored on task i's eval set, which may appear only after those models
 * were evaluated. This keeps each stream's version 0 and, for a task whose eval set did not exist
 * when the previous task ended, that task's last version b (the boundary contract publishes it with
 * the new task among its seen tasks), and scores them as soon as the eval set exists; the scores go
 * to the engine before the next evaluation is recorded, so they are in its published record. At most
 * one initial model per stream and one model per task waiting; kept on disk ({@link HeldModelStore}).
 * Not thread-safe.
 */
final class TransferScorer {

    private static final Logger log = LoggerFactory.getLogger(TransferScorer.class);

    /** Scores {@code model} (parameters loaded) on {@code task}'s eval set; null if it cannot be scored now. */
    interface Scorer {
        Double score(String task, Model model);
    }

    private final HeldModelStore store;
    private final Map<String, HeldModel> initial = new HashMap<>();
    /** stream → task waiting for its eval set → the model to score on it. */
    private final Map<String, Map<String, HeldModel>> waiting = new HashMap<>();
    /** Scored, to be deleted from disk once a state including their scores is saved. */
    private final List<HeldModel> done = new ArrayList<>();
    /**
     * stream → the last evaluated version (memory only): when version b was published before the
     * learner read the new task's first record (the old task ended on a full batch), b does not list
     * the new task, and the first version of the new task tells which task b's model is to be scored on.
     */
    private final Map<String, HeldModel> previous = new HashMap<>();

    TransferScorer(HeldModelStore store) {
        this.store = store;
    }

    /** Loads the kept models (after a restart or a rolled-back batch). */
    void reload() {
        previous.clear();
        initial.clear();
        waiting.clear();
        done.clear();
        for (HeldModel m : store.readAll()) {
            if (m.forTask() == null) {
                initial.put(m.stream(), m);
            } else {
                waiting.computeIfAbsent(m.stream(), s -> new LinkedHashMap<>()).put(m.forTask(), m);
            }
        }
    }

    /**
     * Called for every evaluated snapshot after its own tasks were scored (so {@code model} may be
     * reloaded) and before the engine records it.
     *
     * @param parameters the snapshot's parameters
     * @param scored     the snapshot's scores per seen task (accuracy or loss null when not scored)
     */
    void beforeRecord(ContinualMetricsEngine engine, ModelSnapshot snapshot, float[] parameters, Model model,
                      Map<String, TaskMetrics> scored, Scorer scorer) {
        String stream = snapshot.getStream();
        long version = snapshot.getVersion();
        if (version == 0 && !initial.containsKey(stream)) {
            HeldModel m = new HeldModel(stream, 0, snapshot.getTask(), null, snapshot.getModelSpec(), parameters.clone());
            store.write(m);
            initial.put(stream, m);
        }
        HeldModel init = initial.get(stream);
        if (version > 0 && init != null && Objects.equals(init.specText(), snapshot.getModelSpec())) {
            for (String task : scored.keySet()) {
                if (engine.initialScore(task) == null) {
                    Double b = scoreWith(init, task, model, scorer);
                    if (b != null) {
                        engine.recordInitialScore(task, b);
                        log.info("Stream {}: the initial model scored {} on task {} (b_i of forward transfer)", stream, b, task);
                    }
                }
            }
        }
        Map<String, HeldModel> mine = waiting.get(stream);
        if (mine != null) {
            for (Iterator<HeldModel> it = mine.values().iterator(); it.hasNext(); ) {
                HeldModel m = it.next();
                Double a = Objects.equals(m.specText(), snapshot.getModelSpec()) ? scoreWith(m, m.forTask(), model, scorer) : null;
                if (a != null) {
                    engine.recordLateScore(m.learningTask(), m.forTask(), a);
                    log.info("Stream {}: task {}'s last model (version {}) scored {} on task {}, whose eval set came later",
                            stream, m.learningTask(), m.version(), a, m.forTask());
                    it.remove();
                    done.add(m);
                }
            }
        }
        String task = EvalIntake.taskOf(snapshot.getTask());
        HeldModel last = previous.get(stream);
        if (last != null && !last.learningTask().equals(task) && !engine.learned(task) && !engine.hasScore(last.learningTask(), task)
                && !(mine != null && mine.containsKey(task))) {
            Double a = Objects.equals(last.specText(), snapshot.getModelSpec()) ? scoreWith(last, task, model, scorer) : null;
            if (a != null) {
                engine.recordLateScore(last.learningTask(), task, a);
            } else {
                HeldModel m = new HeldModel(stream, last.version(), last.learningTask(), task, last.specText(), last.parameters());
                store.write(m);
                waiting.computeIfAbsent(stream, s -> new LinkedHashMap<>()).put(task, m);
            }
        }
        previous.put(stream, new HeldModel(stream, version, task, null, snapshot.getModelSpec(), parameters));
        scored.forEach((next, metrics) -> {
            boolean unscored = metrics.getAccuracy() == null && metrics.getLoss() == null;
            if (unscored && !next.equals(task) && !engine.learned(next) && !engine.hasScore(task, next)) {
                HeldModel m = new HeldModel(stream, version, task, next, snapshot.getModelSpec(), parameters.clone());
                store.write(m);
                waiting.computeIfAbsent(stream, s -> new LinkedHashMap<>()).put(next, m);
            }
        });
    }

    /** The state that includes the scores is saved: the models they came from can go. */
    void stateSaved() {
        done.forEach(store::delete);
        done.clear();
    }

    /** Models kept now (initial and waiting), to check that memory stays bounded. */
    int held() {
        return initial.size() + waiting.values().stream().mapToInt(Map::size).sum();
    }

    private static Double scoreWith(HeldModel m, String task, Model model, Scorer scorer) {
        if (m.parameters().length != model.parameterCount()) {
            return null;
        }
        model.loadParameters(m.parameters());
        return scorer.score(task, model);
    }
}
