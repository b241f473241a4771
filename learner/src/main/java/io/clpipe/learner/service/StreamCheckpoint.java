package io.clpipe.learner.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the service adds to an engine checkpoint (its caller map): where the stream stands in Kafka
 * and the service's own bookkeeping. Everything that a restart needs to continue exactly.
 *
 * @param stream             the stream id (the record key)
 * @param modelSpec          {@code ModelSpecCodec} text, to rebuild the model before restoring it
 * @param trainTopic         the training topic
 * @param trainPartition     the stream's partition of it
 * @param position           the first training unit not yet trained
 * @param started            whether the stream has had a record (else its first task is no boundary)
 * @param task               the current task (null: task-free)
 * @param tasks              task names in order of first appearance (the engine's task numbers)
 * @param boundaryIteration  iteration of the last boundary, −1 before any
 * @param lastSnapshot       the last snapshot version published, −1 before any
 * @param samplesTrained     new training units trained (replayed ones not counted)
 * @param controlPositions   control-topic partition → next offset this stream has not applied
 * @param lastStepRate       learning rate of the last step (NaN before the first)
 * @param nextRate           learning rate the next step will use (for operators)
 */
record StreamCheckpoint(String stream, String modelSpec, String trainTopic, int trainPartition, StreamPosition position,
                        boolean started, String task, List<String> tasks, long boundaryIteration, long lastSnapshot,
                        long samplesTrained, Map<Integer, Long> controlPositions, double lastStepRate, double nextRate) {

    static final String FORMAT = "1";

    StreamCheckpoint {
        tasks = List.copyOf(tasks);
        controlPositions = Map.copyOf(controlPositions);
    }

    Map<String, String> toCallerData() {
        Map<String, String> m = new HashMap<>();
        m.put("service.format", FORMAT);
        m.put("stream", stream);
        m.put("model.spec", modelSpec);
        m.put("train.topic", trainTopic);
        m.put("train.partition", Integer.toString(trainPartition));
        m.put("train.offset", Long.toString(position.offset()));
        m.put("train.unit", Integer.toString(position.unit()));
        m.put("task.started", Boolean.toString(started));
        if (task != null) {
            m.put("task.current", task);
        }
        TaskNames names = new TaskNames();
        tasks.forEach(names::idOf);
        m.put("task.names", names.encode());
        m.put("boundary.iteration", Long.toString(boundaryIteration));
        m.put("snapshot.last", Long.toString(lastSnapshot));
        m.put("samples.trained", Long.toString(samplesTrained));
        controlPositions.forEach((p, o) -> m.put("control." + p, Long.toString(o)));
        m.put("lr.last", Double.toString(lastStepRate));
        m.put("lr.next", Double.toString(nextRate));
        return m;
    }

    /** @throws IllegalArgumentException naming the missing or malformed entry */
    static StreamCheckpoint fromCallerData(Map<String, String> m) {
        String format = m.get("service.format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("not a learner-service checkpoint (service.format " + format + ", expected "
                    + FORMAT + ")");
        }
        Map<Integer, Long> control = new TreeMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith("control.")) {
                control.put(Integer.parseInt(k.substring("control.".length())), Long.parseLong(v));
            }
        });
        try {
            return new StreamCheckpoint(required(m, "stream"), required(m, "model.spec"), required(m, "train.topic"),
                    Integer.parseInt(required(m, "train.partition")),
                    new StreamPosition(Long.parseLong(required(m, "train.offset")), Integer.parseInt(required(m, "train.unit"))),
                    Boolean.parseBoolean(required(m, "task.started")), m.get("task.current"),
                    TaskNames.decode(required(m, "task.names")).names(),
                    Long.parseLong(required(m, "boundary.iteration")), Long.parseLong(required(m, "snapshot.last")),
                    Long.parseLong(required(m, "samples.trained")), control,
                    Double.parseDouble(required(m, "lr.last")), Double.parseDouble(required(m, "lr.next")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed checkpoint entry: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint has no '" + key + "' entry");
        }
        return v;
    }
}
