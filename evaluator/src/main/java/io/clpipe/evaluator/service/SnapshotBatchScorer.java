package io.clpipe.evaluator.service;

import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.MetricsJson;
import io.clpipe.schemas.SnapshotAssembler;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.ModelSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
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
    private final AvroSerde<ModelSnapshot> snapshots = AvroSerde.modelSnapshot();
    private long evaluated;
    private long duplicates;
    private long rejected;
    private long refusedChunkSets;

    /** @param ownedStreams filled with each evaluated stream → the models partition its snapshots arrive on */
    SnapshotBatchScorer(Topics topics, SnapshotAssembler assembler, SnapshotEvaluator evaluator, EvaluatorMeters meters,
                        Map<String, TopicPartition> ownedStreams) {
        this.topics = topics;
        this.assembler = assembler;
        this.evaluator = evaluator;
        this.meters = meters;
        this.ownedStreams = ownedStreams;
    }

    @Override
    public Scored score(ConsumerRecords<String, byte[]> records) {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            next.put(tp, new OffsetAndMetadata(r.offset() + 1));
            for (SnapshotAssembler.Outcome o : assembler.offer(r)) {
                if (o instanceof SnapshotAssembler.Outcome.Whole whole) {
                    evaluate(whole, tp, out);
                } else {
                    refuse((SnapshotAssembler.Outcome.Refused) o);
                }
            }
        }
        // A chunk set still arriving is read again whole after a restart or a takeover: no commit beyond its start.
        next.replaceAll((tp, offset) -> {
            OptionalLong from = assembler.pendingFrom(tp);
            return from.isPresent() && from.getAsLong() < offset.offset() ? new OffsetAndMetadata(from.getAsLong()) : offset;
        });
        return new Scored(out, next);
    }

    private void evaluate(SnapshotAssembler.Outcome.Whole r, TopicPartition tp, List<ProducerRecord<String, byte[]>> out) {
        ModelSnapshot snapshot;
        try {
            snapshot = snapshots.deserialize(r.value());
        } catch (SerializationException e) {
            rejected++;
            meters.rejected(r.key().isEmpty() ? "unknown" : r.key());
            log.error("Models record {}-{}@{} is not a readable snapshot and is skipped: {}", tp.topic(), tp.partition(),
                    r.lastOffset(), e.getMessage());
            return;
        }
        ownedStreams.put(snapshot.getStream(), tp);
        SnapshotEvaluator.Outcome outcome = evaluator.evaluate(snapshot);
        if (outcome instanceof SnapshotEvaluator.Outcome.Evaluated e) {
            evaluated++;
            IterationMetrics metrics = e.metrics();
            MetricsRecords.addPrequential(metrics, r.headers());
            out.add(new ProducerRecord<>(topics.metrics(), metrics.getStream(), MetricsJson.write(metrics)));
        } else if (outcome instanceof SnapshotEvaluator.Outcome.Duplicate) {
            duplicates++;
        } else {
            rejected++;
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
                + " rejected (" + refusedChunkSets + " chunk sets refused)";
    }
}
