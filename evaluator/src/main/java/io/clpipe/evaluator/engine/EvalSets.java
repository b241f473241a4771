package io.clpipe.evaluator.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The eval sets of all streams, one bounded {@link EvalSet} per (stream, task), created on the first
 * sample of that task. Each set's seed is derived from the configured seed and its key, so a set's
 * contents do not depend on the order in which other tasks' samples arrive. Not thread-safe.
 */
public final class EvalSets {

    private final EvalSetConfig config;
    private final Map<EvalSetKey, EvalSet> sets = new LinkedHashMap<>();

    public EvalSets(EvalSetConfig config) {
        this.config = config;
    }

    public void offer(String stream, String task, EvalSample sample) {
        EvalSetKey key = new EvalSetKey(stream, task);
        sets.computeIfAbsent(key, k -> new EvalSet(config, seedFor(k))).offer(sample);
    }

    public Optional<EvalSet> get(String stream, String task) {
        return Optional.ofNullable(sets.get(new EvalSetKey(stream, task)));
    }

    /** Tasks of the stream that have an eval set, in the order their first sample arrived. */
    public List<String> tasks(String stream) {
        List<String> tasks = new ArrayList<>();
        for (EvalSetKey key : sets.keySet()) {
            if (key.stream().equals(stream)) {
                tasks.add(key.task());
            }
        }
        return tasks;
    }

    /** Number of (stream, task) sets held. */
    public int size() {
        return sets.size();
    }

    private long seedFor(EvalSetKey key) {
        // A fixed mix of the key's hash keeps seeds distinct per key yet reproducible across runs.
        return config.seed() ^ (0x9E3779B97F4A7C15L * (31L * key.stream().hashCode() + key.task().hashCode()));
    }
}
