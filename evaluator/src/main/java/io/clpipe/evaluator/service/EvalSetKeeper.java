package io.clpipe.evaluator.service;

import io.clpipe.evaluator.engine.SubsetMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the eval sets durable (fixed-subset mode): saves what every set took with the eval-topic
 * positions read so far ({@link EvalSetFile}), and on start offers them again and reads the eval
 * topic on from those positions, so old tasks are still scored after the topic's retention deleted
 * their samples (docs/operations.md, "Eval sets"). In resampled mode the sets are rebuilt from the
 * topic as before.
 */
final class EvalSetKeeper {

    private static final Logger log = LoggerFactory.getLogger(EvalSetKeeper.class);

    private final EvalSetFile file;
    private final SubsetMode mode;
    private final EvalIntake intake;
    private final String evalTopic;

    EvalSetKeeper(EvalSetFile file, SubsetMode mode, EvalIntake intake, String evalTopic) {
        this.file = file;
        this.mode = mode;
        this.intake = intake;
        this.evalTopic = evalTopic;
    }

    /**
     * Offers the saved eval sets again (fixed-subset mode) and returns the eval-topic positions they
     * cover; empty (read the topic from its start) without a usable file.
     */
    Map<Integer, Long> restore() {
        if (mode != SubsetMode.FIXED) {
            return Map.of();
        }
        Optional<EvalSetFile.Saved> saved;
        try {
            saved = file.load();
        } catch (IllegalArgumentException e) {
            log.warn("{}; the eval sets are rebuilt from the eval topic {} from its start (samples it no longer holds are lost)",
                    e.getMessage(), evalTopic);
            return Map.of();
        }
        if (saved.isEmpty()) {
            return Map.of();
        }
        if (!saved.get().evalTopic().equals(evalTopic)) {
            log.warn("{} holds the eval sets of topic {}, not {}: ignored", file.file(), saved.get().evalTopic(), evalTopic);
            return Map.of();
        }
        intake.restore(saved.get().sets());
        log.info("Eval sets restored from {}: {} samples in {} sets; the eval topic is read on from {}", file.file(),
                saved.get().samples(), saved.get().sets().size(), saved.get().positions());
        return saved.get().positions();
    }

    /** Seeks each eval partition to its saved position (the beginning when none), reporting records retention took first. */
    void position(Consumer<String, byte[]> eval, List<TopicPartition> partitions, Map<Integer, Long> from, Duration timeout) {
        Map<TopicPartition, Long> beginning = eval.beginningOffsets(partitions, timeout);
        for (TopicPartition tp : partitions) {
            Long saved = from.get(tp.partition());
            long first = beginning.getOrDefault(tp, 0L);
            if (saved == null) {
                eval.seekToBeginning(List.of(tp));
            } else if (saved < first) {
                log.warn("Eval topic {} partition {}: {} records between the saved position {} and the log start {} were removed"
                        + " (retention) before they were read; the sets keep what they had", tp.topic(), tp.partition(),
                        first - saved, saved, first);
                eval.seek(tp, first);
            } else {
                eval.seek(tp, saved);
            }
        }
    }

    void saveIfChanged(Consumer<String, byte[]> eval, Duration timeout) {
        if (mode != SubsetMode.FIXED || !intake.changedSinceSaved()) {
            return;
        }
        Map<Integer, Long> positions = new TreeMap<>();
        for (TopicPartition tp : eval.assignment()) {
            positions.put(tp.partition(), eval.position(tp, timeout));
        }
        file.save(new EvalSetFile.Saved(evalTopic, positions, intake.taken()));
        intake.markSaved();
    }
}
