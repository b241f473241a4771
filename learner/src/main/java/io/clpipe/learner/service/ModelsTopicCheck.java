package io.clpipe.learner.service;

import io.clpipe.schemas.SnapshotChunks;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, before the first step, a snapshot chunk size that the models topic cannot take: the topic's
 * effective {@code max.message.bytes} (its own setting or the broker's {@code message.max.bytes}) is read
 * through the Admin API; where that is not allowed or not answered, the learner goes on and says so.
 */
final class ModelsTopicCheck {

    private static final Logger log = LoggerFactory.getLogger(ModelsTopicCheck.class);
    private static final long TIMEOUT_SECONDS = 30;

    private ModelsTopicCheck() {
    }

    /** @throws IllegalStateException with the operator's fix when chunks of {@code chunkBytes} cannot be published */
    static void verify(String topic, int chunkBytes, Properties clientProperties) {
        OptionalInt limit = maxMessageBytes(topic, clientProperties);
        if (limit.isEmpty()) {
            return;
        }
        problem(topic, chunkBytes, limit.getAsInt()).ifPresent(p -> {
            throw new IllegalStateException(p);
        });
        log.info("Snapshots: chunks of at most {} bytes on {} (max.message.bytes {})", chunkBytes, topic, limit.getAsInt());
    }

    /** What is wrong with chunks of {@code chunkBytes} on a topic taking records of at most {@code maxMessageBytes}. */
    static Optional<String> problem(String topic, int chunkBytes, int maxMessageBytes) {
        int fits = maxMessageBytes - SnapshotChunks.RECORD_OVERHEAD_BYTES;
        if (chunkBytes <= fits) {
            return Optional.empty();
        }
        return Optional.of("snapshot.chunk.bytes=" + chunkBytes + " does not fit topic " + topic + " (max.message.bytes="
                + maxMessageBytes + ", of which " + SnapshotChunks.RECORD_OVERHEAD_BYTES + " are kept for key, headers and framing):"
                + " set snapshot.chunk.bytes to at most " + Math.max(fits, 0) + ", or raise the topic's max.message.bytes"
                + " (docs/operations.md, Snapshots and back-pressure)");
    }

    private static OptionalInt maxMessageBytes(String topic, Properties clientProperties) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(clientProperties)) {
            Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(resource);
            ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry == null || entry.value() == null) {
                log.warn("Topic {} reports no max.message.bytes: snapshot chunks of snapshot.chunk.bytes are sent unchecked", topic);
                return OptionalInt.empty();
            }
            return OptionalInt.of(Integer.parseInt(entry.value()));
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            log.warn("Cannot read max.message.bytes of topic {} ({}): snapshot chunks of snapshot.chunk.bytes are sent unchecked;"
                    + " a record too large would stop the learner at its first large snapshot", topic,
                    e instanceof ExecutionException ? e.getCause() : e);
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }
}
