package io.clpipe.ingest.routing;

import io.clpipe.ingest.drift.PageHinkleyConfig;
import io.clpipe.schemas.ValidationConfig;

/**
 * @param validation   record validation rules
 * @param evalPerMille share of samples without an explicit split that go to the eval topic, in ‰
 * @param driftDetection task-free streams: detect distribution shifts and label segments
 * @param drift        the detector's settings
 */
public record RoutingConfig(ValidationConfig validation, int evalPerMille, boolean driftDetection, PageHinkleyConfig drift) {

    public RoutingConfig {
        if (evalPerMille < 0 || evalPerMille > 1000) {
            throw new IllegalArgumentException("evalPerMille must be within [0, 1000], got " + evalPerMille);
        }
    }

    public static RoutingConfig defaults() {
        return new RoutingConfig(ValidationConfig.defaults(), 100, false, PageHinkleyConfig.forLabels());
    }

    public RoutingConfig withValidation(ValidationConfig v) {
        return new RoutingConfig(v, evalPerMille, driftDetection, drift);
    }

    public RoutingConfig withEvalPerMille(int perMille) {
        return new RoutingConfig(validation, perMille, driftDetection, drift);
    }

    public RoutingConfig withDriftDetection(boolean on) {
        return new RoutingConfig(validation, evalPerMille, on, drift);
    }
}
