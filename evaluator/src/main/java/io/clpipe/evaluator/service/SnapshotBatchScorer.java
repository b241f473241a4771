package io.clpipe.evaluator.service;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.SnapshotAssembler;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ModelSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one poll of the models topic into what one transaction publishes: a metrics record per snapshot evaluated,
 * and the models offsets to commit with them. Chunk sets are reassembled first; a refused set or an unreadable
 * record is reported and skipped (its offsets are committed); a set still arriving holds the commit at its start.
 * With {@link Thinning} on, a snapshot far enough behind the partition's end may be skipped instead of scored; the
 * stream's next metrics record names it ({@code skipped_versions}), in the same transaction.
 */
final class SnapshotBatchScorer implements BatchScorer {

    private static final Logger log = LoggerFactory.getLogger(SnapshotBatchScorer.class);

    /** The metrics records of one batch and the models offsets to commit in the same transaction. */
    record Scored(List<ProducerRecord<String, byte[]>> metrics, Map<TopicPartition, OffsetAndMetadata> next) {
    }

    private final Topics topics;
    private final SnapshotAssembler assembler;
    private final SnapshotEvaluator evaluator;
    private final EvaluatorMeters meters;
    private final Map<String, TopicPartition> ownedStreams;
    private final Thinning thinning;
    private final AvroSerde<ModelSnapshot> snapshots = AvroSerde.modelSnapshot();
    private long evaluated;
    private long duplicates;
    private long rejected;
    private long refusedChunkSets;
    private long thinned;

    SnapshotBatchScorer(Topics topics, SnapshotAssembler assembler, SnapshotEvaluator evaluator, EvaluatorMeters meters,
                        Map<String, TopicPartition> ownedStreams) {
        this(topics, assembler, evaluator, meters, ownedStreams, Thinning.OFF);
    }

    /**
     * @param ownedStreams filled with each evaluated stream → the models partition its snapshots arrive on
     * @param thinning     which versions may be skipped when behind ({@link Thinning#OFF}: none)
     */
    SnapshotBatchScorer(Topics topics, SnapshotAssembler assembler, SnapshotEvaluator evaluator, EvaluatorMeters meters,
                        Map<String, TopicPartition> ownedStreams, Thinning thinning) {
        this.thinning = thinning;
        this.topics = topics;
        this.assembler = assembler;
        this.evaluator = evaluator;
        this.meters = meters;
        this.ownedStreams = ownedStreams;
    }

    /** A partition missing from {@code ends} counts only the records of this poll after a snapshot. */
    @Override
    public Scored score(ConsumerRecords<String, byte[]> records, Map<TopicPartition, Long> ends) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        List<Held> held = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            next.put(tp, new OffsetAndMetadata(r.offset() + 1));
            for (SnapshotAssembler.Outcome o : assembler.offer(r)) {
                if (o instanceof SnapshotAssembler.Outcome.Whole whole) {
                    held.add(new Held(whole, tp));
                } else {
                    refuse((SnapshotAssembler.Outcome.Refused) o);
                }
            }
        }
        Map<TopicPartition, Long> end = new HashMap<>(next.size());
        next.forEach((tp, offset) -> end.put(tp, ends.getOrDefault(tp, offset.offset())));
        Map<String, List<Long>> skipped = new LinkedHashMap<>();
        Map<String, String> previousTask = new HashMap<>();
        for (int i = 0; i < held.size(); i++) {
            ModelSnapshot snapshot = held.get(i).read();
            if (snapshot == null) {
                continue;
            }
            String stream = snapshot.getStream();
            SnapshotEvaluator.Position position = evaluator.position(stream);
            boolean republished = snapshot.getVersion() <= position.lastEvaluated();
            if (thinning.on() && !republished && skip(held, i, snapshot, position, previousTask, end)) {
                if (thinned++ == 0) {
                    log.info("Thinning: stream {} version {} is skipped, more than eval.thin.backlog={} snapshots behind it; from "
                            + "now on versions are skipped whenever that far behind (clpipe.eval.thinned counts them, the next "
                            + "metrics record names them in skipped_versions)", stream, snapshot.getVersion(), thinning.backlog());
                }
                evaluator.thinned(stream, snapshot.getVersion());
                skipped.computeIfAbsent(stream, s -> new ArrayList<>()).add(snapshot.getVersion());
            } else {
                evaluate(held.get(i), snapshot, out, skipped);
            }
            if (!republished) {
                previousTask.put(stream, snapshot.getTask());
            }
            held.get(i).release();
        }
        skipped.forEach((stream, versions) -> log.warn("Stream {}: versions {} were thinned and the snapshot after them could not "
                + "be evaluated; no metrics record lists them (clpipe.eval.thinned counts them)", stream, versions));
        // A chunk set still arriving is read again whole after a restart or a takeover: no commit beyond its start.
        next.replaceAll((tp, offset) -> {
            OptionalLong from = assembler.pendingFrom(tp);
            return from.isPresent() && from.getAsLong() < offset.offset() ? new OffsetAndMetadata(from.getAsLong()) : offset;
        });
        return new Scored(out, next);
    }

    /** Whether thinning skips {@code held[i]}: the rule is {@link Thinning}'s, the facts are gathered here. */
    private boolean skip(List<Held> held, int i, ModelSnapshot snapshot, SnapshotEvaluator.Position position,
                         Map<String, String> previousTask, Map<TopicPartition, Long> end) {
        String stream = snapshot.getStream();
        long version = snapshot.getVersion();
        boolean inPoll = previousTask.containsKey(stream);
        SnapshotAssembler.Outcome.Whole whole = held.get(i).whole;
        long records = whole.lastOffset() - whole.firstOffset() + 1;
        long behind = Math.max(0, end.get(held.get(i).tp) - whole.lastOffset() - 1) / records;
        ModelSnapshot successor = successor(held, i, stream);
        Thinning.Candidate candidate = new Thinning.Candidate(version, snapshot.getTask(), inPoll || position.evaluated(),
                inPoll ? previousTask.get(stream) : position.lastTask(), successor == null ? -1 : successor.getVersion(),
                successor == null ? null : successor.getTask(), position.gapBoundary(), behind);
        Thinning.Verdict verdict = thinning.decide(candidate);
        if (verdict != Thinning.Verdict.SKIP && verdict != Thinning.Verdict.WITHIN_BACKLOG) {
            log.debug("Stream {} version {} scored although {} snapshots are behind it: {}", stream, version, behind, verdict);
        }
        return verdict == Thinning.Verdict.SKIP;
    }

    /** The stream's next readable snapshot in this poll, or null. */
    private ModelSnapshot successor(List<Held> held, int i, String stream) {
        for (int j = i + 1; j < held.size(); j++) {
            if (stream.equals(held.get(j).whole.key())) {
                ModelSnapshot next = held.get(j).read();
                if (next != null && stream.equals(next.getStream())) {
                    return next;
                }
            }
        }
        return null;
    }

    private void evaluate(Held h, ModelSnapshot snapshot, List<ProducerRecord<String, byte[]>> out,
                          Map<String, List<Long>> skipped) {
        ownedStreams.put(snapshot.getStream(), h.tp);
        SnapshotEvaluator.Outcome outcome = evaluator.evaluate(snapshot);
        if (outcome instanceof SnapshotEvaluator.Outcome.Evaluated e) {
            evaluated++;
            IterationMetrics metrics = e.metrics();
            MetricsRecords.addPrequential(metrics, h.whole.headers());
            List<Long> thinned = skipped.remove(metrics.getStream());
            if (thinned != null) {
                MetricsRecords.addSkipped(metrics, thinned);
            }
            out.add(new ProducerRecord<>(topics.metrics(), metrics.getStream(), MetricsJson.write(metrics)));
        } else if (outcome instanceof SnapshotEvaluator.Outcome.Duplicate) {
            duplicates++;
        } else {
            rejected++;
        }
    }

    /** A whole snapshot of this poll, read once (and only when needed); released once handled. */
    private final class Held {
        final SnapshotAssembler.Outcome.Whole whole;
        final TopicPartition tp;
        private ModelSnapshot snapshot;
        private boolean read;

        Held(SnapshotAssembler.Outcome.Whole whole, TopicPartition tp) {
            this.whole = whole;
            this.tp = tp;
        }

        /** The snapshot, or null when the record is no readable snapshot (reported once). */
        ModelSnapshot read() {
            if (!read) {
                read = true;
                try {
                    snapshot = snapshots.deserialize(whole.value());
                } catch (SerializationException e) {
                    rejected++;
                    meters.rejected(whole.key().isEmpty() ? "unknown" : whole.key());
                    log.error("Models record {}-{}@{} is not a readable snapshot and is skipped: {}", tp.topic(), tp.partition(),
                            whole.lastOffset(), e.getMessage());
                }
            }
            return snapshot;
        }

        void release() {
            snapshot = null;
        }
    }

    /** A chunk set that is no model: reported (log, {@code clpipe.eval.rejected}), never scored; its offsets are committed. */
    private void refuse(SnapshotAssembler.Outcome.Refused refused) {
        rejected++;
        refusedChunkSets++;
        meters.rejected(refused.key().isEmpty() ? "unknown" : refused.key());
        if (refused.corrupt()) {
            log.error("{} {}; the snapshot is not evaluated (the stream's next snapshot is)", topics.models(), refused.describe());
        } else {
            log.warn("{} {}; the snapshot is not evaluated (the stream's next snapshot is)", topics.models(), refused.describe());
        }
    }

    @Override
    public String summary() {
        return evaluated + " snapshots evaluated and published, " + duplicates + " duplicate versions skipped, " + rejected
                + " rejected (" + refusedChunkSets + " chunk sets refused), " + thinned + " thinned";
    }
}
