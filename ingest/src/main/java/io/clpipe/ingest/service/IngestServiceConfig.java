package io.clpipe.ingest.service;

import io.clpipe.drift.DriftConfig;
import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.schemas.Setting;
import io.clpipe.schemas.SettingsReader;
import io.clpipe.schemas.TopicPrefixSetting;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.ValidationConfig;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Settings of the {@link IngestService}; Kafka client settings (bootstrap servers, security) are
 * passed to the service separately, and {@code --kafka-config} may still set any Streams property.
 *
 * @param topics        topic names (prefix configurable)
 * @param applicationId Kafka Streams application id: the consumer group, the transactional-id prefix
 *                      and the prefix of its internal topics (state changelog, repartition of unkeyed records)
 * @param stateDir      Kafka Streams state directory; the state itself is in {@code <stateDir>/<applicationId>}
 * @param routing       validation, split, text chunks and drift detection
 */
public record IngestServiceConfig(Topics topics, String applicationId, Path stateDir, RoutingConfig routing) {

    /** Text pieces for the byte LM: the command's default (the engine's {@link RoutingConfig#defaults()} never cuts). */
    public static final int DEFAULT_TEXT_CHUNK_BYTES = 1024;

    public IngestServiceConfig {
        if (topics == null || routing == null || stateDir == null) {
            throw new IllegalArgumentException("topics, state dir and routing are required");
        }
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("ingest setting application.id must not be blank");
        }
    }

    /** Defaults for these topics: the application id and state dir derived as {@link #fromProperties} says. */
    public static IngestServiceConfig defaults(Topics topics, String prefix, RoutingConfig routing) {
        return new IngestServiceConfig(topics, applicationId(prefix), defaultStateDir(), routing);
    }

    /**
     * Reads the keys declared in {@link IngestSettings}, all optional; an unknown key or a bad value is refused with a
     * message that names it (docs/operations.md, "Ingest settings", is generated from the declarations).
     */
    public static IngestServiceConfig fromProperties(Properties properties) {
        SettingsReader p = new SettingsReader("ingest", properties);
        String prefix = TopicPrefixSetting.readOrDefault("ingest", properties);
        p.has(TopicPrefixSetting.KEY);
        p.has(TopicPrefixSetting.FORMER_KEY);
        Topics topics = Topics.withPrefix(prefix);
        String applicationId = p.get(IngestSettings.APPLICATION_ID, applicationId(prefix));
        Path stateDir = Path.of(p.get(IngestSettings.STATE_DIR, defaultStateDir().toString()));
        RoutingConfig routing = routing(p);
        p.rejectUnknown();
        return new IngestServiceConfig(topics, applicationId, stateDir, routing);
    }

    private static RoutingConfig routing(SettingsReader p) {
        ValidationConfig validation = ValidationConfig.defaults();
        int maxRecord = p.get(IngestSettings.MAX_RECORD_BYTES);
        validation = checked(IngestSettings.MAX_RECORD_BYTES, validation, v -> v.withMaxRecordBytes(maxRecord));
        int maxText = p.get(IngestSettings.MAX_TEXT_CHARS);
        validation = checked(IngestSettings.MAX_TEXT_CHARS, validation, v -> v.withMaxTextChars(maxText));
        if (p.has(IngestSettings.FEATURE_DIM)) {
            int dim = p.get(IngestSettings.FEATURE_DIM, 0);
            validation = checked(IngestSettings.FEATURE_DIM, validation, v -> v.withDefaultFeatureDim(dim));
        }
        if (p.has(IngestSettings.CLASSES)) {
            int classes = p.get(IngestSettings.CLASSES, 0);
            validation = checked(IngestSettings.CLASSES, validation, v -> v.withNumClasses(classes));
        }
        RoutingConfig routing = RoutingConfig.defaults().withValidation(validation)
                .withDriftDetection(p.get(IngestSettings.DRIFT_DETECTION));
        int evalPerMille = p.get(IngestSettings.EVAL_PERMILLE);
        routing = checked(IngestSettings.EVAL_PERMILLE, routing, r -> r.withEvalPerMille(evalPerMille));
        int chunk = p.get(IngestSettings.TEXT_CHUNK_BYTES);
        routing = checked(IngestSettings.TEXT_CHUNK_BYTES, routing, r -> r.withTextChunkBytes(chunk));
        Properties driftSettings = p.prefixed("drift.");
        driftSettings.remove(IngestSettings.DRIFT_DETECTION.key());
        DriftConfig drift = checked(IngestSettings.DRIFT, DriftConfig.defaults(), d -> DriftConfig.fromProperties(driftSettings, d));
        return routing.withDrift(drift);
    }

    /** Applies a change whose own validation may refuse it, naming the setting in the message. */
    private static <T> T checked(Setting<?> setting, T value, java.util.function.UnaryOperator<T> change) {
        try {
            return change.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ingest setting " + setting.key() + ": " + e.getMessage(), e);
        }
    }

    /** {@code clpipe.} gives {@code clpipe-ingest}, {@code team-a.clpipe.} gives {@code team-a.clpipe-ingest}. */
    static String applicationId(String prefix) {
        String base = prefix.replaceAll("[._-]+$", "");
        return (base.isEmpty() ? "clpipe" : base) + "-ingest";
    }

    static Path defaultStateDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "clpipe-streams");
    }
}
