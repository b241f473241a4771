package io.clpipe.ingest.routing;

import io.clpipe.ingest.drift.PageHinkleyConfig;
import io.clpipe.schemas.ValidationConfig;

/**
 * @param validation   record validation rules
 * @param evalPerMille share of samples without an explicit split that go to the eval topic, in ‰
 * @param driftDetection task-free streams: detect distribution shifts and label segments
 * @param drift        the detector's settings
 * @param textChunkBytes text samples longer than this many UTF-8 bytes are cut into pieces of at most
 *                     this size ({@link TextChunker}), after the split is chosen; 0 = never
 */
public record RoutingConfig(ValidationConfig validation, int evalPerMille, boolean driftDetection, PageHinkleyConfig drift,
                            int textChunkBytes) {

    public RoutingConfig {
        if (evalPerMille < 0 || evalPerMille > 1000) {
            throw new IllegalArgumentException("evalPerMille must be within [0, 1000], got " + evalPerMille);
        }
        new TextChunker(textChunkBytes); // validates the size
    }

    public static RoutingConfig defaults() {
        return new RoutingConfig(ValidationConfig.defaults(), 100, false, PageHinkleyConfig.forLabels(), 0);
    }

    public RoutingConfig withValidation(ValidationConfig v) {
        return new RoutingConfig(v, evalPerMille, driftDetection, drift, textChunkBytes);
    }

    public RoutingConfig withEvalPerMille(int perMille) {
        return new RoutingConfig(validation, perMille, driftDetection, drift, textChunkBytes);
    }

    public RoutingConfig withDriftDetection(boolean on) {
        return new RoutingConfig(validation, evalPerMille, on, drift, textChunkBytes);
    }

    public RoutingConfig withDrift(PageHinkleyConfig detector) {
        return new RoutingConfig(validation, evalPerMille, driftDetection, detector, textChunkBytes);
    }

    public RoutingConfig withTextChunkBytes(int bytes) {
        return new RoutingConfig(validation, evalPerMille, driftDetection, drift, bytes);
    }
}
