package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.EvalSample;
import io.clpipe.evaluator.engine.EvalSet;
import io.clpipe.evaluator.engine.EvalSetConfig;
import io.clpipe.evaluator.engine.EvalSetKey;
import io.clpipe.evaluator.engine.EvalSets;
import io.clpipe.evaluator.engine.SubsetMode;
import io.clpipe.schemas.Features;
import io.clpipe.schemas.avro.Sample;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds eval-topic samples into the per-(stream, task) eval sets.
 *
 * <p>In {@link SubsetMode#FIXED} mode a set's subset is drawn as soon as it holds
 * {@code evalSetSize} samples, and the set then takes no more samples. The fixed subset is thus a
 * function of the eval topic's content alone, not of when snapshots happened to arrive, which is
 * what lets a restart rebuild exactly the same subsets by re-reading the topic from the start.
 */
final class EvalIntake {

    /** Task name of task-free samples and snapshots. */
    static final String TASK_FREE = "task-free";

    private static final Logger log = LoggerFactory.getLogger(EvalIntake.class);

    private final EvalSets sets;
    private final EvalSetConfig config;
    private final int textContext;
    private final EvaluatorMeters meters;
    private final Map<EvalSetKey, Integer> loggedMilestone = new LinkedHashMap<>();
    private final Map<EvalSetKey, EvaluatorState.SubsetFingerprint> fingerprints = new LinkedHashMap<>();
    /** Every sample each set took, in order: what {@link EvalSetFile} keeps (fixed-subset mode only). */
    private final Map<EvalSetKey, List<EvalSample>> taken = new LinkedHashMap<>();
    private boolean changed;
    private long unusable;

    EvalIntake(EvalSetConfig config, int textContext, EvaluatorMeters meters) {
        this.sets = new EvalSets(config);
        this.config = config;
        this.textContext = textContext;
        this.meters = meters;
    }

    static String taskOf(String task) {
        return task == null || task.isBlank() ? TASK_FREE : task;
    }

    Optional<EvalSet> set(String stream, String task) {
        return sets.get(stream, task);
    }

    /** Eval samples that were neither features with a label nor text (ingest should not let them through). */
    long unusable() {
        return unusable;
    }

    void offer(Sample sample) {
        String stream = sample.getStream();
        String task = taskOf(sample.getTask());
        if (sets.get(stream, task).map(EvalSet::frozen).orElse(false)) {
            return;
        }
        if (sample.getFeatures() != null && sample.getLabel() != null) {
            offer(stream, task, new EvalSample(Features.toArray(sample.getFeatures()), sample.getLabel()));
        } else if (sample.getText() != null && !sample.getText().isEmpty()) {
            TextWindows.forEach(sample.getText(), textContext, window -> offer(stream, task, window));
        } else {
            if (unusable++ == 0) {
                log.warn("Eval sample of stream {} task {} has neither features with a label nor text; ignored (counted)",
                        stream, task);
            }
            return;
        }
        sets.get(stream, task).ifPresent(set -> meters.setSize(stream, task, set.size()));
    }

    /** Offers one sample; false once the set is full and frozen. */
    private boolean offer(String stream, String task, EvalSample sample) {
        if (sets.get(stream, task).map(EvalSet::frozen).orElse(false)) {
            return false;
        }
        sets.offer(stream, task, sample);
        EvalSet set = sets.get(stream, task).orElseThrow();
        EvalSetKey key = new EvalSetKey(stream, task);
        if (config.mode() == SubsetMode.FIXED) {
            taken.computeIfAbsent(key, k -> new ArrayList<>()).add(sample);
            changed = true;
        }
        if (config.mode() == SubsetMode.FIXED && set.size() >= config.subsetSize()) {
            set.subset();
            fingerprints.put(key, fingerprint(key, set));
            log.info("Eval set {}/{} is full: fixed subset of {} samples drawn; later eval samples of this task are not used",
                    stream, task, config.subsetSize());
            return false;
        }
        logProgress(key, set);
        return true;
    }

    private void logProgress(EvalSetKey key, EvalSet set) {
        int target = config.mode() == SubsetMode.FIXED ? config.subsetSize() : config.capacity();
        int milestone;
        if (set.size() >= target) {
            milestone = 3;
        } else if (2L * set.size() >= target) {
            milestone = 2;
        } else {
            milestone = 1;
        }
        if (milestone > loggedMilestone.getOrDefault(key, 0)) {
            loggedMilestone.put(key, milestone);
            log.info("Eval set {}/{}: {} of {} samples", key.stream(), key.task(), set.size(), target);
        }
    }

    /**
     * The samples every set took, in order (fixed-subset mode; in resampled mode sets are not kept,
     * their reservoirs would grow with the topic). A set takes at most its subset size, so this is
     * bounded by tasks × {@code eval.set.size}.
     */
    Map<EvalSetKey, List<EvalSample>> taken() {
        Map<EvalSetKey, List<EvalSample>> out = new LinkedHashMap<>();
        taken.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return out;
    }

    /** Whether a set took a sample since the last {@link #markSaved()}. */
    boolean changedSinceSaved() {
        return changed;
    }

    void markSaved() {
        changed = false;
    }

    /** Offers saved samples again, in their order: the sets (and fixed subsets) come out as they were. */
    void restore(Map<EvalSetKey, List<EvalSample>> saved) {
        saved.forEach((key, samples) -> {
            samples.forEach(s -> offer(key.stream(), key.task(), s));
            sets.get(key.stream(), key.task()).ifPresent(set -> meters.setSize(key.stream(), key.task(), set.size()));
        });
        changed = false;
    }

    /** Fingerprints of the fixed subsets drawn so far. */
    List<EvaluatorState.SubsetFingerprint> fingerprints() {
        return new ArrayList<>(fingerprints.values());
    }

    /**
     * Compares the subsets rebuilt from the eval topic with the fingerprints saved before a restart;
     * returns a description of each that differs or is missing.
     */
    List<String> verify(List<EvaluatorState.SubsetFingerprint> saved) {
        List<String> problems = new ArrayList<>();
        for (EvaluatorState.SubsetFingerprint expected : saved) {
            EvaluatorState.SubsetFingerprint actual = fingerprints.get(new EvalSetKey(expected.stream(), expected.task()));
            if (actual == null) {
                problems.add(expected.stream() + "/" + expected.task() + " is no longer full");
            } else if (!actual.equals(expected)) {
                problems.add(expected.stream() + "/" + expected.task() + " holds different samples");
            }
        }
        return problems;
    }

    private static EvaluatorState.SubsetFingerprint fingerprint(EvalSetKey key, EvalSet set) {
        CRC32C crc = new CRC32C();
        List<EvalSample> samples = set.subset().samples();
        for (EvalSample s : samples) {
            ByteBuffer row = ByteBuffer.allocate((s.features().length + 1) * Float.BYTES);
            row.asFloatBuffer().put(s.features());
            row.putInt(s.features().length * Float.BYTES, s.label());
            crc.update(row);
        }
        return new EvaluatorState.SubsetFingerprint(key.stream(), key.task(), samples.size(), crc.getValue());
    }
}
