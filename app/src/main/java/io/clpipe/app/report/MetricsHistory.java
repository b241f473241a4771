package io.clpipe.app.report;

import io.clpipe.evaluator.engine.Direction;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.MetricDirection;
import io.clpipe.schemas.avro.TaskMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;

/**
 * One stream's metric records, parsed and put in iteration order. A repeated iteration (a restarted
 * evaluator may publish one again) keeps its last record, as the topic's reader would see it last.
 */
final class MetricsHistory {

    /** What the evaluator calls the learning task of task-free samples. */
    static final String TASK_FREE = "task-free";

    private final String stream;
    private final Direction direction;
    private final List<IterationMetrics> records;

    private MetricsHistory(String stream, Direction direction, List<IterationMetrics> records) {
        this.stream = stream;
        this.direction = direction;
        this.records = List.copyOf(records);
    }

    static MetricsHistory parse(List<String> lines) {
        TreeMap<Long, IterationMetrics> byIteration = new TreeMap<>();
        String stream = null;
        MetricDirection direction = null;
        for (int i = 0; i < lines.size(); i++) {
            IterationMetrics record;
            try {
                record = MetricsJson.parse(lines.get(i).getBytes(StandardCharsets.UTF_8));
            } catch (SerializationException e) {
                throw new IllegalArgumentException("metrics record " + (i + 1) + ": " + e.getMessage(), e);
            }
            if (stream == null) {
                stream = record.getStream();
                direction = record.getDirection();
            } else if (!stream.equals(record.getStream())) {
                throw new IllegalArgumentException("metrics record " + (i + 1) + " is of stream '" + record.getStream()
                        + "', the report is of stream '" + stream + "'");
            } else if (direction != record.getDirection()) {
                throw new IllegalArgumentException("metrics record " + (i + 1) + " changes the direction to " + record.getDirection());
            }
            byIteration.put(record.getIteration(), record);
        }
        if (stream == null) {
            throw new IllegalArgumentException("no metrics records: nothing was evaluated");
        }
        return new MetricsHistory(stream, direction == MetricDirection.HIGHER_IS_BETTER ? Direction.ACCURACY : Direction.LOSS,
                new ArrayList<>(byIteration.values()));
    }

    String stream() {
        return stream;
    }

    Direction direction() {
        return direction;
    }

    List<IterationMetrics> records() {
        return records;
    }

    long lastIteration() {
        return records.get(records.size() - 1).getIteration();
    }

    /** The record's learning task, named as the evaluator names it; null for the initial model. */
    String learningTask(IterationMetrics record) {
        if (record.getIteration() == 0) {
            return null;
        }
        return record.getTask() == null || record.getTask().isBlank() ? TASK_FREE : record.getTask();
    }

    /** A(task, n) in the direction's unit, or null when the evaluator did not compute it. */
    Double score(TaskMetrics metrics) {
        Double value = direction == Direction.ACCURACY ? metrics.getAccuracy() : metrics.getLoss();
        return value == null || !Double.isFinite(value) ? null : value;
    }

    /** Learned tasks in learning order, then tasks only evaluated, in order of first appearance. */
    List<String> tasks() {
        Set<String> learned = new LinkedHashSet<>();
        Set<String> evaluated = new LinkedHashSet<>();
        for (IterationMetrics r : records) {
            String task = learningTask(r);
            if (task != null) {
                learned.add(task);
            }
            evaluated.addAll(r.getTasks().keySet());
        }
        List<String> out = new ArrayList<>(learned);
        evaluated.stream().filter(t -> !learned.contains(t)).forEach(out::add);
        return out;
    }

    /** Per task, its scores by iteration (iterations where it was not scored are absent). */
    Map<String, SortedMap<Long, Double>> scores() {
        Map<String, SortedMap<Long, Double>> out = new LinkedHashMap<>();
        tasks().forEach(t -> out.put(t, new TreeMap<>()));
        for (IterationMetrics r : records) {
            r.getTasks().forEach((task, m) -> {
                Double score = score(m);
                if (score != null) {
                    out.get(task).put(r.getIteration(), score);
                }
            });
        }
        return out;
    }

    /** One aggregate ({@code acc}, {@code min_acc}, …) by iteration, where it was defined. */
    SortedMap<Long, Double> aggregate(String key) {
        SortedMap<Long, Double> out = new TreeMap<>();
        for (IterationMetrics r : records) {
            Double value = r.getAggregates().get(key);
            if (value != null && Double.isFinite(value)) {
                out.put(r.getIteration(), value);
            }
        }
        return out;
    }

    /** Task changes between consecutive evaluated iterations (the initial model is not a task). */
    List<Boundary> boundaries() {
        List<Boundary> out = new ArrayList<>();
        String previous = null;
        long previousIteration = -1;
        for (IterationMetrics r : records) {
            String task = learningTask(r);
            if (task == null) {
                continue;
            }
            if (previous != null && !previous.equals(task)) {
                out.add(new Boundary(previousIteration, previous, task));
            }
            previous = task;
            previousIteration = r.getIteration();
        }
        return out;
    }
}
