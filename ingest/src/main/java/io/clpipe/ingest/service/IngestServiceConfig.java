package io.clpipe.ingest.service;

import io.clpipe.drift.DriftConfig;
import io.clpipe.ingest.routing.RoutingConfig;
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
     * Reads the keys below, all optional; an unknown key or a bad value is refused with a message
     * that names it (docs/operations.md, "Ingest settings").
     *
     * <pre>
     * topics.prefix          clpipe.
     * application.id         the prefix without its trailing '.', '-' or '_', plus "-ingest" (clpipe-ingest)
     * state.dir              ${java.io.tmpdir}/clpipe-streams
     * feature.dim            none: each stream's first sample fixes its dimension
     * classes                none: any label ≥ 0
     * max.record.bytes       1048576
     * max.text.chars         65536
     * eval.permille          100
     * text.chunk.bytes       1024 (0 = never cut)
     * drift.detection        false
     * drift.*                the detectors' settings (DriftConfig, docs/operations.md "Drift detection")
     * </pre>
     */
    public static IngestServiceConfig fromProperties(Properties properties) {
        SettingsReader p = new SettingsReader("ingest", properties);
        String prefix = TopicPrefixSetting.readOrDefault("ingest", properties);
        p.has(TopicPrefixSetting.KEY);
        p.has(TopicPrefixSetting.FORMER_KEY);
        Topics topics = Topics.withPrefix(prefix);
        String applicationId = p.string("application.id", applicationId(prefix));
        Path stateDir = Path.of(p.string("state.dir", defaultStateDir().toString()));
        RoutingConfig routing = routing(p);
        p.rejectUnknown();
        return new IngestServiceConfig(topics, applicationId, stateDir, routing);
    }

    private static RoutingConfig routing(SettingsReader p) {
        ValidationConfig validation = ValidationConfig.defaults();
        int maxRecord = p.integer("max.record.bytes", ValidationConfig.DEFAULT_MAX_RECORD_BYTES);
        validation = checked("max.record.bytes", validation, v -> v.withMaxRecordBytes(maxRecord));
        int maxText = p.integer("max.text.chars", ValidationConfig.DEFAULT_MAX_TEXT_CHARS);
        validation = checked("max.text.chars", validation, v -> v.withMaxTextChars(maxText));
        if (p.has("feature.dim")) {
            int dim = p.integer("feature.dim", 0);
            validation = checked("feature.dim", validation, v -> v.withDefaultFeatureDim(dim));
        }
        if (p.has("classes")) {
            int classes = p.integer("classes", 0);
            validation = checked("classes", validation, v -> v.withNumClasses(classes));
        }
        RoutingConfig routing = RoutingConfig.defaults().withValidation(validation)
                .withDriftDetection(p.bool("drift.detection", false));
        int evalPerMille = p.integer("eval.permille", routing.evalPerMille());
        routing = checked("eval.permille", routing, r -> r.withEvalPerMille(evalPerMille));
        int chunk = p.integer("text.chunk.bytes", DEFAULT_TEXT_CHUNK_BYTES);
        routing = checked("text.chunk.bytes", routing, r -> r.withTextChunkBytes(chunk));
        Properties driftSettings = p.prefixed("drift.");
        driftSettings.remove("drift.detection");
        DriftConfig drift = checked("drift.*", DriftConfig.defaults(), d -> DriftConfig.fromProperties(driftSettings, d));
        return routing.withDrift(drift);
    }

    /** Applies a change whose own validation may refuse it, naming the setting in the message. */
    private static <T> T checked(String key, T value, java.util.function.UnaryOperator<T> change) {
        try {
            return change.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ingest setting " + key + ": " + e.getMessage(), e);
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
