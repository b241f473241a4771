package io.clpipe.bench.learner;

import io.clpipe.learner.engine.ContinualLearner;
import io.clpipe.learner.engine.DivergenceListener;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.service.CheckpointInspector;
import io.clpipe.models.ModelSpec;
import java.util.List;

/** The learner engine fed from memory: the same samples, in the same batches, as the service trains them. */
final class MemoryRun {

    private MemoryRun() {
    }

    static TrainingRun run(ModelSpec spec, LearnerConfig config, List<Sample> samples) {
        int batch = config.batchSize();
        int steps = samples.size() / batch;
        try (ContinualLearner learner = ContinualLearner.create(spec, config, DivergenceListener.ignore())) {
            learner.step(samples.subList(0, batch));
            long start = System.nanoTime();
            for (int s = 1; s < steps; s++) {
                learner.step(samples.subList(s * batch, (s + 1) * batch));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new TrainingRun((long) (steps - 1) * batch, seconds, seconds, 0, 0,
                    CheckpointInspector.sha256(learner.model().parametersToArray()));
        }
    }
}
