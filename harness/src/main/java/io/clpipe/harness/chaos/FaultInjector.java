package io.clpipe.harness.chaos;

import io.clpipe.learner.service.CheckpointManifest;
import io.clpipe.learner.service.KafkaCheckpointStore;
import io.clpipe.learner.service.LearnerServiceConfig;
import io.clpipe.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Injects one scenario's fault after each phase of the stream is produced; {@link #afterPhase} says how many times. */
final class FaultInjector {

    private static final int PHASES = ChaosRunner.PHASES;

    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

    private final ChaosSettings settings;
    private final Fault fault;
    private final ChaosPipeline pipeline;
    private final KafkaView view;
    private final Random random;
    private final List<String> victims = new ArrayList<>();
    private final ChaosWait wait;
    private final Runnable restartBroker;
    private int done;

    FaultInjector(ChaosSettings settings, Fault fault, ChaosPipeline pipeline, KafkaView view, Random random, ChaosWait wait,
                  Runnable restartBroker) {
        this.settings = settings;
        this.fault = fault;
        this.wait = wait;
        this.restartBroker = restartBroker;
        this.pipeline = pipeline;
        this.view = view;
        this.random = random;
    }

    int afterPhase(int phase) {
        int count = switch (fault) {
            case SERVICE_KILLS -> share(settings.kills(), phase);
            case BROKER_RESTART -> share(settings.brokerRestarts(), phase);
            case CORRUPT_CHECKPOINT -> share(settings.corruptions(), phase);
            case LEARNER_FAILOVER, EVALUATOR_FAILOVER, SCORER_FAILOVER -> share(settings.brokerRestarts(), phase);
            case DIVERGENCE -> 0;
        };
        for (int i = 0; i < count; i++) {
            waitForProgress(2 + random.nextInt(10));
            switch (fault) {
                case SERVICE_KILLS -> {
                    if (victims.isEmpty()) {
                        victims.addAll(List.of("learner-a", "evaluator", "ingest"));
                        Collections.shuffle(victims, random);
                    }
                    pipeline.kill(victims.remove(0), true);
                }
                case BROKER_RESTART -> restartBroker.run();
                case CORRUPT_CHECKPOINT -> corruptNewest();
                case LEARNER_FAILOVER -> {
                    if (done == 0) {
                        awaitGenerations(2); // both instances own a trained, checkpointed stream
                    }
                    killOneOfTwo(ChaosPipeline.Role.LEARNER, "learner-a", "learner-b");
                }
                case EVALUATOR_FAILOVER -> {
                    // before every kill: both instances (the restarted one too) own a partition and have scored snapshots
                    String group = pipeline.evaluatorGroup();
                    String models = pipeline.topics().models();
                    wait.await(pipeline, () -> view.groupBusy(group, 2, models, ChaosPipeline.PARTITIONS),
                            "both evaluators to own a models partition, with offsets committed on each");
                    killOneOfTwo(ChaosPipeline.Role.EVALUATOR, "evaluator", "evaluator-b");
                }
                case SCORER_FAILOVER -> {
                    // before every kill: both scorers (the restarted one too) own request partitions and have committed scores
                    String group = pipeline.scorerGroup();
                    wait.await(pipeline, () -> view.groupScoring(group, 2), "both scorers to own request partitions, with scores committed");
                    killOneOfTwo(ChaosPipeline.Role.SCORER, "scorer-a", "scorer-b");
                }
                default -> throw new IllegalStateException(fault.name());
            }
            done++;
        }
        return count;
    }

    /**
     * SIGKILLs {@code b} at the first injection, {@code a} at the second, and so on; the victim is
     * started again once the survivor has taken over, except after the last injection.
     */
    private void killOneOfTwo(ChaosPipeline.Role role, String a, String b) {
        String victim = done % 2 == 0 ? b : a;
        boolean last = done == settings.brokerRestarts() - 1;
        pipeline.kill(victim, false);
        if (!last) {
            waitForProgress(3); // the survivor has taken over and goes on
            pipeline.start(role, victim);
        }
    }

    /**
     * Of {@code total} injections, those of this phase: after phases 1..{@code PHASES - 2}, so that
     * the stream has trained and checkpointed before the first and goes on after the last.
     */
    private int share(int total, int phase) {
        int slots = PHASES - 2;
        int slot = phase - 1;
        return slot < 0 || slot >= slots ? 0 : total / slots + (slot < total % slots ? 1 : 0);
    }

    /** Waits until this many more snapshots are published (a moment mid-stream), at most 20 s. */
    private void waitForProgress(int snapshots) {
        long target = ChaosWait.safe(() -> view.endOffsetSum(pipeline.topics().models()), 0L) + snapshots;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline && ChaosWait.safe(() -> view.endOffsetSum(pipeline.topics().models()), 0L) < target) {
            pipeline.supervise();
            ChaosWait.sleep(100);
        }
    }

    /** Kills the learner, corrupts the newest generation of every stream (one chunk overwritten), restarts it. */
    private void corruptNewest() {
        Topics topics = pipeline.topics();
        Properties client = pipeline.clientProperties();
        LearnerServiceConfig defaults = LearnerServiceConfig.defaults(Path.of("unused"));
        try (KafkaCheckpointStore store = new KafkaCheckpointStore(topics.checkpoints(), client, defaults.checkpointGenerations(),
                defaults.checkpointChunkBytes())) {
            // a full set of generations, so that the one used instead of the corrupt one is mid-stream too
            awaitGenerations(defaults.checkpointGenerations());
            pipeline.kill("learner-a", false);
            Properties p = new Properties();
            p.putAll(client);
            p.put("key.serializer", StringSerializer.class.getName());
            p.put("value.serializer", ByteArraySerializer.class.getName());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
                for (Map.Entry<String, List<CheckpointManifest>> e : store.manifests().entrySet()) {
                    CheckpointManifest newest = e.getValue().get(0);
                    int chunk = newest.chunks() / 2;
                    long size = chunk == newest.chunks() - 1 ? newest.bytes() - (long) chunk * defaults.checkpointChunkBytes()
                            : defaults.checkpointChunkBytes();
                    byte[] garbage = new byte[(int) size]; // same size: only the SHA-256 can tell
                    new Random(newest.generation()).nextBytes(garbage);
                    String key = newest.chunkKey(chunk);
                    producer.send(new ProducerRecord<>(topics.checkpoints(), store.partitionFor(e.getKey()), key, garbage)).get();
                    log.info("Corrupted {} (record {})", newest.describe(), key);
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot corrupt the newest checkpoint generation: " + e, e);
            }
        }
        pipeline.start(ChaosPipeline.Role.LEARNER, "learner-a");
    }

    /** Waits until every stream has at least this many checkpoint generations on the topic. */
    private void awaitGenerations(int generations) {
        LearnerServiceConfig defaults = LearnerServiceConfig.defaults(Path.of("unused"));
        try (KafkaCheckpointStore store = new KafkaCheckpointStore(pipeline.topics().checkpoints(), pipeline.clientProperties(),
                defaults.checkpointGenerations(), defaults.checkpointChunkBytes())) {
            wait.await(pipeline, () -> {
                Map<String, List<CheckpointManifest>> m = store.manifests();
                return m.size() == settings.streams() && m.values().stream().allMatch(g -> g.size() >= generations);
            }, generations + " checkpoint generations of every stream");
        }
    }
}
