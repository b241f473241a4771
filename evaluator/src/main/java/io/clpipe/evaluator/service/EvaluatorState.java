package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.EngineState;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the evaluator persists after each committed transaction (see {@link StateCodec}).
 *
 * @param modelsTopic      the models topic the offsets belong to
 * @param groupId          the consumer group that committed them
 * @param modelsOffsets    partition → next models-topic offset to consume, as committed with the
 *                         metrics of the transaction this state follows
 * @param metricsPositions partition → metrics-topic offset just after the last metrics record this
 *                         state includes; a restart replays committed records from there
 * @param streams          per-stream progress and metrics-engine state
 * @param fingerprints     fixed eval subsets, to detect that a rebuilt set differs (eval topic
 *                         retention, a recreated topic)
 */
record EvaluatorState(String modelsTopic, String groupId, Map<Integer, Long> modelsOffsets,
                      Map<Integer, Long> metricsPositions, List<StreamProgress> streams,
                      List<SubsetFingerprint> fingerprints) {

    EvaluatorState {
        modelsOffsets = Collections.unmodifiableMap(new TreeMap<>(modelsOffsets));
        metricsPositions = Collections.unmodifiableMap(new TreeMap<>(metricsPositions));
        streams = List.copyOf(streams);
        fingerprints = List.copyOf(fingerprints);
    }

    /**
     * @param lastEvaluated latest version evaluated (and published), −1 before any
     * @param latestSeen    latest version seen on the models topic, −1 before any
     * @param lastTask      learning task of the last evaluated version (boundary detection)
     * @param engine        metrics-engine state; null until the stream's direction is known
     */
    record StreamProgress(String stream, long lastEvaluated, long latestSeen, String lastTask, EngineState engine) {
    }

    /** CRC-32C over the features and labels of a fixed subset, in subset order. */
    record SubsetFingerprint(String stream, String task, int size, long crc32c) {
    }

    /** Offsets of one topic's partitions, keyed by partition number (as the state file holds them). */
    static Map<Integer, Long> byPartition(Map<org.apache.kafka.common.TopicPartition, Long> offsets) {
        Map<Integer, Long> out = new java.util.TreeMap<>();
        offsets.forEach((tp, offset) -> out.put(tp.partition(), offset));
        return out;
    }
}
