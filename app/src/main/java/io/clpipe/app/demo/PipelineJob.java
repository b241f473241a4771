package io.clpipe.app.demo;

import io.clpipe.ingest.routing.RoutingConfig;
import io.clpipe.ingest.source.SampleSource;
import io.clpipe.schemas.avro.ControlEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * What {@link DemoRun} runs through the pipeline: one stream's samples, produced as JSON to the
 * samples topic in phases, with the services' settings.
 *
 * @param stream      the stream (model id) the run follows
 * @param routing     ingest's validation, split and text chunking
 * @param learner     learner service settings ({@code LearnerServiceConfig.fromProperties}), without the state folder
 * @param evaluator   evaluator service settings ({@code EvaluatorServiceConfig.fromProperties}), without the state folder
 * @param phases      produced in order
 * @param trainUnits  training units the learner will see in all: samples, or bytes of text for a byte LM
 * @param newPerStep  new units per learner step (the learner keeps a trailing partial batch untrained)
 * @param workDir     services' state (checkpoints, Streams state, evaluator state) goes under it
 */
public record PipelineJob(String stream, RoutingConfig routing, Properties learner, Properties evaluator, List<Phase> phases,
                          long trainUnits, int newPerStep, Path workDir) {

    public PipelineJob {
        phases = List.copyOf(phases);
        if (phases.isEmpty() || newPerStep <= 0 || trainUnits < 0) {
            throw new IllegalArgumentException("a pipeline job needs phases, positive new samples per step and a unit count");
        }
    }

    /**
     * One run of the producer.
     *
     * @param samples    what to produce
     * @param trainUnits training units in it (to know when the learner has trained them)
     * @param first      a control event sent, once the learner has trained every earlier phase, before this
     *                   phase's samples (e.g. an anneal request); {@code null} for none
     */
    public record Phase(SampleSource samples, long trainUnits, ControlEvent first) {
    }
}
