package io.clpipe.learner.service;

import io.clpipe.learner.engine.checkpoint.CheckpointCorruptException;
import io.clpipe.learner.engine.checkpoint.CheckpointCodec;
import io.clpipe.learner.engine.checkpoint.LearnerState;
import io.clpipe.learner.service.CheckpointIndex.Generation;
import io.clpipe.learner.service.CheckpointIndex.Key;
import io.clpipe.learner.service.CheckpointIndex.Location;
import io.clpipe.schemas.ClientConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints on a compacted Kafka topic ({@code clpipe.checkpoints}), so that any learner instance
 * can take over any stream, whichever machine it runs on.
 *
 * <p>A checkpoint is the engine's binary checkpoint ({@link CheckpointCodec#encode}) cut into chunk
 * records of at most {@code chunkBytes} (512 KiB by default, under the broker's default 1 MB message
 * limit, so a model plus a replay buffer of tens of MB needs no broker or topic change), followed by
 * a JSON {@link CheckpointManifest} with the SHA-256 of the whole. Keys are
 * {@code <stream>/<generation>/<chunk>} and {@code <stream>/<generation>/m}; every record of a stream
 * goes to one partition of the topic. The manifest is sent after every chunk is acknowledged, so a
 * learner killed while writing leaves a generation without manifest, which readers ignore. After a
 * write the generations older than the newest {@code keep} are tombstoned.
 *
 * <p>Reading a partition's streams catches up with the topic (an index of manifests and chunk
 * positions; chunk values are fetched only for the generation being loaded) and loads each stream's
 * newest generation; a generation whose chunks are missing, do not match the manifest's size or
 * SHA-256, or do not parse as a checkpoint is refused with a WARN line naming it and the reason, and
 * the previous generation is used: its offsets are older, so the stream re-consumes from there.
 */
public final class KafkaCheckpointStore implements CheckpointStore {

    private static final Logger log = LoggerFactory.getLogger(KafkaCheckpointStore.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration NEW_TOPIC_GRACE = Duration.ofSeconds(10);

    private final String topic;
    private final int keep;
    private final int chunkBytes;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> indexConsumer;
    private final KafkaConsumer<String, byte[]> fetchConsumer;
    private final List<TopicPartition> partitions;
    private final CheckpointIndex index = new CheckpointIndex();

    /**
     * @param keep       generations kept per stream (at least 2, so that a corrupt newest one has a predecessor)
     * @param chunkBytes largest chunk payload
     * @throws IllegalStateException when the topic does not exist
     */
    public KafkaCheckpointStore(String topic, Properties clientProperties, int keep, int chunkBytes) {
        if (keep < 1 || chunkBytes <= 0) {
            throw new IllegalArgumentException("keep and chunkBytes must be positive, got " + keep + ", " + chunkBytes);
        }
        this.topic = topic;
        this.keep = keep;
        this.chunkBytes = chunkBytes;
        Properties p = ClientConfig.of("learner checkpoint producer", clientProperties)
                .byDefault(ProducerConfig.ACKS_CONFIG, "all")
                .byDefault(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .byDefault(ProducerConfig.CLIENT_ID_CONFIG, "clpipe-learner-checkpoints")
                .force(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1 << 20, chunkBytes + (64 << 10)))
                .force(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none") // float32 weights barely compress
                .force(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
                .force(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())
                .build();
        this.producer = new KafkaProducer<>(p);
        this.indexConsumer = new KafkaConsumer<>(consumerProperties(clientProperties, "clpipe-learner-checkpoints-index"));
        this.fetchConsumer = new KafkaConsumer<>(consumerProperties(clientProperties, "clpipe-learner-checkpoints-fetch"));
        List<PartitionInfo> infos;
        try {
            infos = partitionsOf(topic);
        } catch (KafkaException e) {
            close();
            throw new IllegalStateException("cannot read checkpoint topic " + topic + ": " + e.getMessage(), e);
        }
        if (infos == null || infos.isEmpty()) {
            close();
            throw new IllegalStateException("checkpoint topic " + topic + " does not exist: create it (compacted, see"
                    + " docs/operations.md) or use checkpoint.store=local");
        }
        this.partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
        indexConsumer.assign(partitions);
        indexConsumer.seekToBeginning(partitions);
    }

    /**
     * The topic's partitions; an empty answer is asked again for a few seconds, since a topic created just
     * before (a deploy script, a test) can take a moment to reach the broker's metadata.
     */
    private List<PartitionInfo> partitionsOf(String topic) {
        long deadline = System.nanoTime() + NEW_TOPIC_GRACE.toNanos();
        List<PartitionInfo> infos = indexConsumer.partitionsFor(topic, TIMEOUT);
        while ((infos == null || infos.isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return infos;
            }
            infos = indexConsumer.partitionsFor(topic, TIMEOUT);
        }
        return infos;
    }

    private static Properties consumerProperties(Properties client, String clientId) {
        return ClientConfig.of("learner checkpoint reader", client)
                .byDefault(ConsumerConfig.CLIENT_ID_CONFIG, clientId)
                .drop(ConsumerConfig.GROUP_ID_CONFIG)
                .drop(ConsumerConfig.GROUP_PROTOCOL_CONFIG)
                .drop(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG)
                .force(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .force(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .force(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
                .force(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())
                .build();
    }

    @Override
    public String describe() {
        return "Kafka topic " + topic + " (" + partitions.size() + " partition(s), last " + keep + " generations, chunks of "
                + chunkBytes + " bytes)";
    }

    @Override
    public void write(String trainTopic, int trainPartition, String stream, LearnerState state) {
        byte[] bytes = CheckpointCodec.encode(state);
        String encoded = DirectoryCheckpointStore.encode(stream);
        long generation = index.nextGeneration(encoded);
        List<byte[]> chunks = CheckpointChunks.split(bytes, chunkBytes);
        CheckpointManifest manifest = new CheckpointManifest(stream, generation, trainTopic, trainPartition, state.iteration(),
                resumeOffset(state), bytes.length, chunks.size(), CheckpointChunks.sha256Hex(bytes));
        int partition = partitionOf(encoded);
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < chunks.size(); i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, partition, manifest.chunkKey(i), chunks.get(i))));
            }
            producer.flush();
            for (int i = 0; i < sent.size(); i++) {
                index.apply(new Key(encoded, generation, i), chunks.get(i), new Location(partition, sent.get(i).get().offset()));
            }
            byte[] json = manifest.toJson();
            RecordMetadata m = producer.send(new ProducerRecord<>(topic, partition, manifest.key(), json)).get();
            index.apply(new Key(encoded, generation, Key.MANIFEST), json, new Location(partition, m.offset()));
        } catch (ExecutionException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot write the checkpoint of " + manifest.describe() + " to topic " + topic + ": "
                    + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the checkpoint of " + manifest.describe(), e);
        }
        List<Key> old = index.prunable(encoded, keep);
        for (Key k : old) {
            producer.send(new ProducerRecord<>(topic, partition, k.text(), null), (md, e) -> {
                if (e != null) {
                    log.warn("Could not tombstone old checkpoint record {} on {} (compaction keeps it longer): {}", k.text(), topic,
                            e.toString());
                }
            });
            index.apply(k, null, null);
        }
        log.debug("Checkpoint {} written to {} partition {}: {} bytes in {} chunks, {} old records tombstoned",
                manifest.describe(), topic, partition, bytes.length, chunks.size(), old.size());
    }

    private static long resumeOffset(LearnerState state) {
        try {
            return Long.parseLong(state.callerData().getOrDefault("train.offset", "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The partition of the checkpoint topic that holds every record of the stream. */
    public int partitionFor(String stream) {
        return partitionOf(DirectoryCheckpointStore.encode(stream));
    }

    private int partitionOf(String encodedStream) {
        return Utils.toPositive(Utils.murmur2(encodedStream.getBytes(StandardCharsets.UTF_8))) % partitions.size();
    }

    @Override
    public List<LearnerState> readPartition(String trainTopic, int trainPartition) {
        catchUp();
        List<LearnerState> out = new ArrayList<>();
        for (String stream : index.streamsOf(trainTopic, trainPartition)) {
            out.add(loadNewestValid(stream).orElseThrow(() -> new IllegalStateException("no readable checkpoint generation of"
                    + " stream " + stream + " on topic " + topic + " (see the WARN lines above); tombstone its keys to retrain it"
                    + " from the start of the training topic")));
        }
        return out;
    }

    /** Every stream's generations on the topic (readable manifests), newest first, after catching up. */
    public Map<String, List<CheckpointManifest>> manifests() {
        catchUp();
        return index.manifests();
    }

    /** The newest generation of the stream that reads back intact, after catching up. */
    public Optional<LearnerState> latest(String stream) {
        catchUp();
        return loadNewestValid(DirectoryCheckpointStore.encode(stream));
    }

    private Optional<LearnerState> loadNewestValid(String encodedStream) {
        List<String> refused = new ArrayList<>();
        for (Generation g : index.candidates(encodedStream)) {
            if (g.manifest == null) {
                String why = "checkpoint generation " + g.number + " of stream (encoded) " + encodedStream + " refused: " + g.manifestProblem;
                log.warn("{}; trying the previous generation", why);
                refused.add(why);
                continue;
            }
            try {
                byte[] bytes = CheckpointChunks.assemble(g.manifest, fetch(g));
                LearnerState state = CheckpointCodec.decode(topic + " " + g.manifest.describe(), bytes);
                if (!refused.isEmpty()) {
                    log.warn("Stream {}: resuming from checkpoint generation {} (iteration {}, training offset {}) after refusing {}"
                                    + " newer one(s); the records after that offset are consumed again", g.manifest.stream(),
                            g.number, g.manifest.iteration(), g.manifest.resumeOffset(), refused.size());
                }
                return Optional.of(state);
            } catch (CheckpointChunks.CorruptGeneration | CheckpointCorruptException e) {
                log.warn("{}; trying the previous generation", e.getMessage());
                refused.add(e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The generation's chunks in order, null where a chunk is not on the topic (any more). */
    private List<byte[]> fetch(Generation g) {
        int n = g.manifest.chunks();
        List<byte[]> out = new ArrayList<>(java.util.Collections.nCopies(n, (byte[]) null));
        Map<Location, Integer> wanted = new TreeMap<>((a, b) -> a.partition() != b.partition()
                ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()));
        for (int i = 0; i < n; i++) {
            Location at = g.chunks.get(i);
            if (at != null) {
                wanted.put(at, i);
            }
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (Map.Entry<Location, Integer> w : wanted.entrySet()) {
            int i = w.getValue();
            if (out.get(i) != null) {
                continue;
            }
            TopicPartition tp = new TopicPartition(topic, w.getKey().partition());
            fetchConsumer.assign(List.of(tp));
            fetchConsumer.seek(tp, w.getKey().offset());
            while (fetchConsumer.position(tp) <= w.getKey().offset()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading the chunks of checkpoint " + g.manifest.describe()
                            + " from " + topic);
                }
                for (ConsumerRecord<String, byte[]> r : fetchConsumer.poll(Duration.ofMillis(200))) {
                    Integer j = wanted.get(new Location(r.partition(), r.offset()));
                    if (j != null && r.value() != null && r.key().equals(g.manifest.chunkKey(j))) {
                        out.set(j, r.value());
                    }
                }
            }
        }
        return out;
    }

    /** Reads the topic up to its current end into the index. */
    private void catchUp() {
        Map<TopicPartition, Long> end = indexConsumer.endOffsets(partitions, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int records = 0;
        while (partitions.stream().anyMatch(tp -> indexConsumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out reading checkpoint topic " + topic + " up to " + end);
            }
            for (ConsumerRecord<String, byte[]> r : indexConsumer.poll(Duration.ofMillis(200))) {
                records++;
                Optional<Key> key = Key.parse(r.key());
                if (key.isEmpty()) {
                    log.warn("Ignoring record {}-{}@{} of the checkpoint topic: key '{}' is not <stream>/<generation>/<chunk|m>",
                            r.topic(), r.partition(), r.offset(), r.key());
                    continue;
                }
                index.apply(key.get(), r.value(), new Location(r.partition(), r.offset()))
                        .ifPresent(problem -> log.warn("Checkpoint topic {}: {}", topic, problem));
            }
        }
        log.debug("Checkpoint topic {} read up to {} ({} new records)", topic, end, records);
    }

    @Override
    public void close() {
        closeQuietly(producer);
        closeQuietly(indexConsumer);
        closeQuietly(fetchConsumer);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.warn("Closing a checkpoint-store client failed: {}", e.toString());
        }
    }
}
