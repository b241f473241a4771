package io.clpipe.bench.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.Models;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.avro.ModelSnapshot;
import org.junit.jupiter.api.Test;

/** One benchmark evaluation does the real work: it loads the snapshot's parameters and scores every task with them. */
class EvaluationPipelineTest {

    @Test
    void loadsTheSnapshotAndScoresEveryTaskWithIt() {
        EvalTasks tasks = EvalTasks.synthetic(3, 40, 7);
        AvroSerde<ModelSnapshot> serde = AvroSerde.modelSnapshot();
        ModelSpec.Mlp spec = new ModelSpec.Mlp(EvalTasks.INPUT_DIM, new int[] {12}, EvalTasks.CLASSES, 16);
        try (Model source = Models.create(spec, 11); Model evaluator = Models.create(spec, 12)) {
            byte[] snapshot = SnapshotBytes.of(source, serde, 5, tasks.names().get(0), tasks.names());
            assertThat(evaluator.parametersToArray()).isNotEqualTo(source.parametersToArray());
            EvaluationPipeline pipeline = new EvaluationPipeline(evaluator, tasks, serde, 2);

            PhaseNanos phases = pipeline.evaluate(snapshot);

            assertThat(evaluator.parametersToArray()).isEqualTo(source.parametersToArray());
            assertThat(phases.samples()).isEqualTo(120);
            assertThat(pipeline.lastScores()).containsOnlyKeys(tasks.names());
            for (int t = 0; t < 3; t++) {
                assertThat(pipeline.lastScores().get(tasks.names().get(t)))
                        .isEqualTo(source.evaluate(tasks.batches().get(t)).accuracy());
            }
        }
    }
}
