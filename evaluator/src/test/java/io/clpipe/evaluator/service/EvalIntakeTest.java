package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.evaluator.engine.EvalSample;
import io.clpipe.evaluator.engine.EvalSet;
import io.clpipe.evaluator.engine.EvalSetConfig;
import io.clpipe.evaluator.engine.SubsetMode;
import io.clpipe.schemas.avro.Sample;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalIntakeTest {

    private static EvalIntake intake(SubsetMode mode, int capacity) {
        return new EvalIntake(new EvalSetConfig(capacity, 10, mode, 42), 8, new EvaluatorMeters(new SimpleMeterRegistry()));
    }

    @Test
    void fixedSubsetIsDrawnWhenFullAndLaterSamplesAreNotUsed() {
        EvalIntake intake = intake(SubsetMode.FIXED, 10);
        TestStreams.samples("s", "a", 0, 9).forEach(intake::offer);
        EvalSet set = intake.set("s", "a").orElseThrow();
        assertThat(set.frozen()).isFalse();
        assertThat(intake.fingerprints()).isEmpty();
        TestStreams.samples("s", "a", 0, 25).forEach(intake::offer);
        assertThat(set.frozen()).isTrue();
        assertThat(set.offered()).isEqualTo(10);
        assertThat(intake.fingerprints()).singleElement().extracting(EvaluatorState.SubsetFingerprint::size).isEqualTo(10);
    }

    @Test
    void rebuildingFromTheSameSamplesGivesTheSameSubsetsAndAChangeIsDetected() {
        List<Sample> topic = new ArrayList<>();
        topic.addAll(TestStreams.samples("s", "a", 0, 14));
        topic.addAll(TestStreams.samples("s", "b", 2, 30));
        EvalIntake before = intake(SubsetMode.FIXED, 20);
        topic.forEach(before::offer);
        EvalIntake rebuilt = intake(SubsetMode.FIXED, 20);
        topic.forEach(rebuilt::offer);
        assertThat(rebuilt.fingerprints()).hasSize(2).isEqualTo(before.fingerprints());
        assertThat(contents(rebuilt.set("s", "b").orElseThrow())).isEqualTo(contents(before.set("s", "b").orElseThrow()));
        assertThat(rebuilt.verify(before.fingerprints())).isEmpty();

        EvalIntake retentionLostTheFirstSample = intake(SubsetMode.FIXED, 20);
        topic.subList(1, topic.size()).forEach(retentionLostTheFirstSample::offer);
        assertThat(retentionLostTheFirstSample.verify(before.fingerprints())).containsExactly("s/a holds different samples");
    }

    private static List<String> contents(EvalSet set) {
        return set.subset().samples().stream().map(x -> Arrays.toString(x.features()) + "->" + x.label()).toList();
    }

    @Test
    void taskFreeSamplesGoToTheTaskFreeSet() {
        EvalIntake intake = intake(SubsetMode.FIXED, 10);
        Sample s = TestStreams.samples("s", "a", 0, 1).get(0);
        s.setTask(null);
        intake.offer(s);
        assertThat(intake.set("s", EvalIntake.TASK_FREE)).isPresent();
    }

    @Test
    void textIsWindowedLikeTheLearnerWindowsIt() {
        List<EvalSample> windows = new ArrayList<>();
        TextWindows.forEach("abcé", 3, w -> windows.add(w) || true);
        // é is two UTF-8 bytes: 5 windows, zero bytes before the text
        assertThat(windows).hasSize(5);
        assertThat(windows.get(0).features()).containsExactly(0, 0, 0);
        assertThat(windows.get(0).label()).isEqualTo('a');
        assertThat(windows.get(2).features()).containsExactly(0, 'a', 'b');
        assertThat(windows.get(3).features()).containsExactly('a', 'b', 'c');
        assertThat(windows.get(3).label()).isEqualTo(0xC3);
        assertThat(windows.get(4).features()).containsExactly('b', 'c', 0xC3);
        assertThat(windows.get(4).label()).isEqualTo(0xA9);
    }
}
