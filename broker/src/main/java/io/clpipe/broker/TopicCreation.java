package io.clpipe.broker;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics and returns only once every partition accepts writes.
 *
 * <p>The controller acknowledges a new topic before its leader has opened the partition. On brokers before
 * Kafka 4.5 an idempotent producer with several requests in flight can then lose its first batch without an
 * error (KAFKA-15591): the first request is refused with NOT_LEADER_OR_FOLLOWER, a later one is appended,
 * and every retry of the first fails as out of order until the delivery timeout drops it. A ListOffsets
 * answered by each partition's leader shows the partition is open, so nothing produced afterwards can
 * meet that window. See docs/operations.md, "Creating topics".
 */
public final class TopicCreation {

    private static final long RETRY_BACKOFF_MS = 20;

    private TopicCreation() {
    }

    /** Creates the topics that do not exist yet (existing ones are left as they are), then waits until all are writable. */
    public static void create(Admin admin, Collection<NewTopic> topics, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (NewTopic topic : topics) {
            try {
                admin.createTopics(List.of(topic)).all().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        awaitWritable(admin, topics.stream().map(NewTopic::name).toList(), remainingMs(deadline));
    }

    /** Creates the topics (see {@link #create(Admin, Collection, long)}) with a 60 s limit. */
    public static void create(Admin admin, Collection<NewTopic> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        create(admin, topics, 60_000);
    }

    /** Waits until the leader of every partition of {@code topics} answers a ListOffsets for it. */
    public static void awaitWritable(Admin admin, Collection<String> topics, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                listEndOffsets(admin, topics, deadline);
                return;
            } catch (ExecutionException e) {
                // UNKNOWN_TOPIC_OR_PARTITION / NOT_LEADER_OR_FOLLOWER until the metadata has reached the broker
                // and the leader has opened the partition
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(RETRY_BACKOFF_MS);
            }
        }
    }

    private static void listEndOffsets(Admin admin, Collection<String> topics, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> described =
                admin.describeTopics(topics).allTopicNames().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        described.values().forEach(d -> d.partitions()
                .forEach(p -> partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        admin.listOffsets(partitions).all().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
    }

    private static long remainingMs(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
