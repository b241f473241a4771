package io.clpipe.learner.service;

import io.clpipe.learner.engine.Sample;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine numbers tasks; streams name them. Names get numbers 0, 1, 2… in order of first
 * appearance; a task-free sample (no name) is {@link Sample#NO_TASK}. Persisted in checkpoints so
 * that a restart keeps the numbering.
 */
final class TaskNames {

    /** The name snapshots give samples without a task, as the evaluator names their eval samples (docs/records.md). */
    static final String TASK_FREE = "task-free";

    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();

    /** The task's number, registering a new name. */
    int idOf(String name) {
        if (name == null) {
            return Sample.NO_TASK;
        }
        return ids.computeIfAbsent(name, n -> {
            names.add(n);
            return names.size() - 1;
        });
    }

    List<String> names() {
        return List.copyOf(names);
    }

    /**
     * What a snapshot lists as seen, in first-seen order: the names, after {@value #TASK_FREE} when the model
     * trained samples without a task (they come before any user task-start or named task), so that the
     * evaluator keeps scoring that segment after the stream's first named task (docs/records.md).
     */
    List<String> seenNames(boolean trainedTaskFree) {
        if (!trainedTaskFree) {
            return names();
        }
        List<String> out = new ArrayList<>(names.size() + 1);
        out.add(TASK_FREE);
        out.addAll(names);
        return out;
    }

    /** Comma-separated, each name URL-encoded (so names may hold commas). */
    String encode() {
        return String.join(",", names.stream().map(n -> URLEncoder.encode(n, StandardCharsets.UTF_8)).toList());
    }

    static TaskNames decode(String text) {
        TaskNames tasks = new TaskNames();
        if (!text.isEmpty()) {
            Arrays.stream(text.split(",", -1)).map(n -> URLDecoder.decode(n, StandardCharsets.UTF_8)).forEach(tasks::idOf);
        }
        return tasks;
    }
}
