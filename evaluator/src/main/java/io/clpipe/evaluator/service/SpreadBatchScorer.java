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
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spread scoring (docs/architecture.md, "Spread scoring"): one poll of the models topic becomes one
 * transaction's metrics and offsets, as with {@link SnapshotBatchScorer}, but the snapshots' per-task
 * scores are computed by scorer instances in parallel. Every new version of the batch is requested at
 * once; the replies arrive in any order; then the versions are fed to the metrics engines in the
 * models topic's order, exactly as this evaluator would have fed them after scoring them itself. So the
 * metrics records are the ones a single evaluator publishes, and exactly-once, restarts and takeovers
 * stay the evaluator's (nothing is committed before every version of the batch is recorded).
 * Versions at or below a stream's last evaluated one are not requested (a learner republishing, or a
 * restart re-reading what was published): the evaluator skips them as before.
 */
final class SpreadBatchScorer implements BatchScorer {

    private static final Logger log = LoggerFactory.getLogger(SpreadBatchScorer.class);

    /** A whole snapshot of the batch and, if it is a new version, the request for its scores. */
    private record Item(SnapshotAssembler.Outcome.Whole whole, TopicPartition tp, ModelSnapshot snapshot, ScoreRequest request) {
    }

    private final Topics topics;
    private final SnapshotAssembler assembler;
    private final SnapshotEvaluator evaluator;
    private final EvaluatorMeters meters;
    private final Map<String, TopicPartition> ownedStreams;
    private final ScoreExchange exchange;
    private final ScoreRequest.EvalSettings evalSettings;
    private final BooleanSupplier running;
    private final AvroSerde<ModelSnapshot> snapshots = AvroSerde.modelSnapshot();
    private long evaluated;
    private long duplicates;
    private long rejected;
    private long requested;
    private long ignoredReplies;

    SpreadBatchScorer(Topics topics, SnapshotAssembler assembler, SnapshotEvaluator evaluator, EvaluatorMeters meters,
                      Map<String, TopicPartition> ownedStreams, ScoreExchange exchange, ScoreRequest.EvalSettings evalSettings,
                      BooleanSupplier running) {
        this.topics = topics;
        this.assembler = assembler;
        this.evaluator = evaluator;
        this.meters = meters;
        this.ownedStreams = ownedStreams;
        this.exchange = exchange;
        this.evalSettings = evalSettings;
        this.running = running;
    }

    @Override
    public SnapshotBatchScorer.Scored score(ConsumerRecords<String, byte[]> records, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> batchStart = new HashMap<>();
        List<Item> items = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            next.put(tp, new OffsetAndMetadata(r.offset() + 1));
            batchStart.putIfAbsent(tp, r.offset());
            for (SnapshotAssembler.Outcome o : assembler.offer(r)) {
                if (o instanceof SnapshotAssembler.Outcome.Whole whole) {
                    read(whole, tp, items);
                } else {
                    refuse((SnapshotAssembler.Outcome.Refused) o);
                }
            }
        }
        List<Item> planned = plan(items);
        List<ScoreRequest> requests = planned.stream().map(Item::request).filter(Objects::nonNull).toList();
        requested += requests.size();
        ScoreGather gather = exchange.exchange(requests, running).orElse(null);
        if (gather == null) {
            // Shutting down before every score came back: publish nothing and commit no further than this batch's start.
            Map<TopicPartition, OffsetAndMetadata> back = new HashMap<>();
            batchStart.forEach((tp, offset) -> back.put(tp, new OffsetAndMetadata(holdAtPending(tp, offset))));
            log.info("Shutdown before the scores of the batch's {} new versions came back; the batch is evaluated again "
                    + "after the restart", requests.size());
            return new SnapshotBatchScorer.Scored(List.of(), back);
        }
        ignoredReplies += gather.ignored();
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        for (Item item : planned) {
            evaluate(item, item.request() == null ? null : gather.reply(item.request()).orElseThrow(), out);
        }
        next.replaceAll((tp, offset) -> new OffsetAndMetadata(holdAtPending(tp, offset.offset())));
        return new SnapshotBatchScorer.Scored(out, next);
    }

    /** A chunk set still arriving is read again whole after a restart or a takeover: no commit beyond its start. */
    private long holdAtPending(TopicPartition tp, long offset) {
        OptionalLong from = assembler.pendingFrom(tp);
        return from.isPresent() && from.getAsLong() < offset ? from.getAsLong() : offset;
    }

    private void read(SnapshotAssembler.Outcome.Whole whole, TopicPartition tp, List<Item> items) {
        try {
            items.add(new Item(whole, tp, snapshots.deserialize(whole.value()), null));
        } catch (SerializationException e) {
            rejected++;
            meters.rejected(whole.key().isEmpty() ? "unknown" : whole.key());
            log.error("Models record {}-{}@{} is not a readable snapshot and is skipped: {}", tp.topic(), tp.partition(),
                    whole.lastOffset(), e.getMessage());
        }
    }

    /**
     * The batch's snapshots in order, each new version with its request; a version at or below the stream's
     * last evaluated one, or one the batch already holds, gets none (the evaluator skips it as a duplicate).
     */
    private List<Item> plan(List<Item> items) {
        Map<String, Long> last = new HashMap<>(evaluator.lastEvaluated());
        List<Item> out = new ArrayList<>(items.size());
        for (Item item : items) {
            ModelSnapshot s = item.snapshot();
            long version = s.getVersion();
            if (version > last.getOrDefault(s.getStream(), -1L)) {
                last.put(s.getStream(), version);
                out.add(new Item(item.whole(), item.tp(), s, new ScoreRequest(s.getStream(), version, item.tp().partition(),
                        item.whole().firstOffset(), item.whole().lastOffset(), evalSettings)));
            } else {
                out.add(item);
            }
        }
        return out;
    }

    /**
     * @param reply the scorers' answer, or null for a version not requested (a duplicate is skipped; should the
     *              version it repeats have been refused, it is scored here, as a single evaluator would)
     */
    private void evaluate(Item item, ScoreReply reply, List<ProducerRecord<String, byte[]>> out) {
        ModelSnapshot snapshot = item.snapshot();
        ownedStreams.put(snapshot.getStream(), item.tp());
        if (reply != null && reply.error() != null) {
            rejected++;
            meters.rejected(snapshot.getStream());
            log.error("Stream {} version {} cannot be evaluated and is skipped: scorer {} refused it: {}", snapshot.getStream(),
                    snapshot.getVersion(), reply.scorer(), reply.error());
            return;
        }
        SnapshotEvaluator.Outcome outcome = evaluator.evaluate(snapshot, reply == null ? null : reply.tasks());
        if (outcome instanceof SnapshotEvaluator.Outcome.Evaluated e) {
            evaluated++;
            IterationMetrics metrics = e.metrics();
            MetricsRecords.addPrequential(metrics, item.whole().headers());
            out.add(new ProducerRecord<>(topics.metrics(), metrics.getStream(),
                    MetricsJson.write(metrics)));
        } else if (outcome instanceof SnapshotEvaluator.Outcome.Duplicate) {
            duplicates++;
        } else {
            rejected++;
        }
    }

    private void refuse(SnapshotAssembler.Outcome.Refused refused) {
        rejected++;
        meters.rejected(refused.key().isEmpty() ? "unknown" : refused.key());
        log.warn("{} {}; the snapshot is not evaluated (the stream's next snapshot is)", topics.models(), refused.describe());
    }

    @Override
    public String summary() {
        return evaluated + " snapshots evaluated and published (scored by the scorers: " + requested + " requests, "
                + ignoredReplies + " replies to other requests ignored), " + duplicates + " duplicate versions skipped, "
                + rejected + " rejected";
    }

    @Override
    public void close() {
        try {
            exchange.close();
        } catch (Exception e) {
            log.warn("Closing the score exchange failed: {}", e.toString());
        }
    }
}
