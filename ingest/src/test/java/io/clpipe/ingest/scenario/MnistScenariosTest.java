package io.clpipe.ingest.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.ingest.source.SampleSource;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import org.junit.jupiter.api.Test;

/** The scenarios on the real MNIST cache (filled by the build's fetch-data step). */
class MnistScenariosTest {

    private final Scenarios scenarios = Scenarios.fromCache();

    @Test
    void splitMnistPlanMatchesMnistClassCounts() {
        ScenarioPlan plan = scenarios.create("split-mnist", ScenarioConfig.defaults().withEpochs(2)).plan();
        assertThat(plan.taskNames()).containsExactly("0-1", "2-3", "4-5", "6-7", "8-9");
        // MNIST training images per class: 5923 6742 5958 6131 5842 5421 5918 6265 5851 5949
        assertThat(plan.tasks().stream().map(TaskPlan::trainImages))
                .containsExactly(5923 + 6742, 5958 + 6131, 5842 + 5421, 5918 + 6265, 5851 + 5949);
        assertThat(plan.tasks()).allSatisfy(t -> assertThat(t.evalSamples()).isEqualTo(1000));
        assertThat(plan.totalTrainSamples()).isEqualTo(120_000);
        assertThat(plan.totalEvalSamples()).isEqualTo(5000);
        assertThat(plan.featureDim()).isEqualTo(784);
    }

    @Test
    void permutedMnistStreamStartsWithTheEvalSetOfTaskZero() {
        Scenario scenario = scenarios.create("permuted-mnist", ScenarioConfig.defaults().withEvalPerTask(50).withTrainPerTask(200));
        assertThat(scenario.plan().totalSamples()).isEqualTo(5 * 250);
        try (SampleSource source = scenario.samples()) {
            for (int i = 0; i < 50; i++) {
                Sample s = source.next();
                assertThat(s.getSplit()).isEqualTo(Split.EVAL);
                assertThat(s.getTask()).isEqualTo("perm-0");
                assertThat(s.getFeatures()).hasSize(784);
            }
            Sample first = source.next();
            assertThat(first.getSplit()).isEqualTo(Split.TRAIN);
            assertThat(first.getSampleId()).startsWith("permuted-mnist:perm-0:train:0:");
        }
    }
}
