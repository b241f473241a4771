package io.clpipe.learner.service;

import io.clpipe.drift.DriftConfig;
import io.clpipe.drift.Signal;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.Prequential;
import io.clpipe.schemas.EvaluationPlan;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * What every stream's {@link StreamLearner} shares; {@code drift} turns on the loss detector when it watches
 * {@link Signal#LOSS}.
 */
record StreamContext(LearnerConfig config, EvaluationPlan plan, LearnerOutput output, MeterRegistry registry, Clock clock,
                     DriftConfig drift, double prequentialFading) {

    StreamContext(LearnerConfig config, EvaluationPlan plan, LearnerOutput output, MeterRegistry registry, Clock clock) {
        this(config, plan, output, registry, clock, LearnerDrift.OFF);
    }

    StreamContext(LearnerConfig config, EvaluationPlan plan, LearnerOutput output, MeterRegistry registry, Clock clock,
                  DriftConfig drift) {
        this(config, plan, output, registry, clock, drift, Prequential.DEFAULT_FADING);
    }
}
