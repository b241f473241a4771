package io.clpipe.predictor.service;

import io.clpipe.predictor.engine.ModelTable;
import io.clpipe.predictor.engine.Snapshot;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.ParameterBytes;
import io.clpipe.schemas.SnapshotAssembler;
import io.clpipe.schemas.avro.ModelSnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link ModelTable} at the newest snapshot of every stream: a group-less consumer reads
 * every partition of the models topic from its start, and {@link #catchUp} reads up to the end
 * offsets of the moment it is called. Chunked snapshots are put back together and verified
 * ({@link SnapshotAssembler}; a refused set is logged and counted in {@link #skipped()}). Of the
 * snapshots one catch-up reads, only each stream's highest version is verified and loaded (a restart
 * does not build every model it skips).
 */
final class ModelFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /** Told of every snapshot put in service. */
    interface Listener {
        void swapped(String stream, long version, String task);
    }

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final ModelTable table;
    private final Listener listener;
    private final AvroSerde<ModelSnapshot> serde = AvroSerde.modelSnapshot();
    private final Map<String, ModelSnapshot> newest = new HashMap<>();
    private final SnapshotAssembler assembler;
    private long skipped;

    ModelFeed(Consumer<String, byte[]> consumer, String topic, ModelTable table, Listener listener) {
        this.consumer = consumer;
        this.topic = topic;
        this.assembler = new SnapshotAssembler(topic);
        this.table = table;
        this.listener = listener;
    }

    /**
     * Reads the models topic up to its current end and puts each stream's newest version in service.
     *
     * @return false if {@code timeout} passed or {@code keepGoing} turned false first (what was read is applied)
     */
    boolean catchUp(Duration timeout, BooleanSupplier keepGoing) {
        assignNewPartitions();
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean reached = true;
        while (!reached(end)) {
            if (!keepGoing.getAsBoolean() || System.nanoTime() - deadline > 0) {
                reached = false;
                break;
            }
            consumer.poll(POLL).forEach(this::collect);
        }
        apply();
        return reached;
    }

    /** Snapshots that could not be read or loaded, skipped (logged), since start. */
    long skipped() {
        return skipped;
    }

    private void assignNewPartitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist; create clpipe's topics first "
                    + "(Topics.specs(): clpipe broker and the demo create them)");
        }
        if (infos.size() != consumer.assignment().size()) {
            List<TopicPartition> all = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            List<TopicPartition> added = all.stream().filter(tp -> !consumer.assignment().contains(tp)).toList();
            consumer.assign(all);
            consumer.seekToBeginning(added);
            log.info("Reading snapshots from {} partition(s) of {}", all.size(), topic);
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void collect(ConsumerRecord<String, byte[]> r) {
        for (SnapshotAssembler.Outcome o : assembler.offer(r)) {
            if (o instanceof SnapshotAssembler.Outcome.Whole whole) {
                collect(whole);
            } else {
                SnapshotAssembler.Outcome.Refused refused = (SnapshotAssembler.Outcome.Refused) o;
                skipped++;
                if (refused.corrupt()) {
                    log.error("{} {}; the version served so far stays", topic, refused.describe());
                } else {
                    log.warn("{} {}; the version served so far stays", topic, refused.describe());
                }
            }
        }
    }

    private void collect(SnapshotAssembler.Outcome.Whole r) {
        ModelSnapshot s;
        try {
            s = serde.deserialize(r.value());
        } catch (SerializationException e) {
            skipped++;
            log.error("Models record {}-{}@{} is not a readable snapshot and is skipped: {}", topic, r.partition(), r.lastOffset(),
                    e.getMessage());
            return;
        }
        newest.merge(s.getStream(), s, (a, b) -> b.getVersion() > a.getVersion() ? b : a);
    }

    private void apply() {
        for (ModelSnapshot s : newest.values()) {
            try {
                Snapshot snapshot = new Snapshot(s.getStream(), s.getVersion(), s.getTask(), s.getModelSpec(),
                        ParameterBytes.verifiedParameters(s));
                if (table.offer(snapshot) == ModelTable.Swap.APPLIED) {
                    listener.swapped(s.getStream(), s.getVersion(), s.getTask());
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                skipped++;
                log.error("Stream {} snapshot version {} cannot be served and is skipped (the version served so far stays): {}",
                        s.getStream(), s.getVersion(), e.getMessage());
            }
        }
        newest.clear();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
