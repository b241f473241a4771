package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.evaluator.service.Thinning.Candidate;
import io.clpipe.evaluator.service.Thinning.Verdict;
import org.junit.jupiter.api.Test;

/** The thinning rule alone: what may be skipped, and every reason a version is scored anyway. */
class ThinningTest {

    private static final Thinning RULE = new Thinning(10, 5);

    /** Version 50 of task "a" between two versions of "a", 11 snapshots behind it, last boundary at 20. */
    private static Candidate skippable() {
        return new Candidate(50, "a", true, "a", 51, "a", 20, 11);
    }

    @Test
    void aVersionInTheMiddleOfATaskFarBehindIsSkipped() {
        assertThat(RULE.decide(skippable())).isEqualTo(Verdict.SKIP);
        assertThat(RULE.decide(new Candidate(50, "a", true, "a", 55, "a", -1, 1_000))).as("no boundary yet, rho = 5")
                .isEqualTo(Verdict.SKIP);
    }

    @Test
    void offOrWithinTheBacklogEveryVersionIsScored() {
        assertThat(Thinning.OFF.decide(skippable())).isEqualTo(Verdict.OFF);
        assertThat(new Thinning(0, 0).on()).isFalse();
        assertThat(RULE.decide(new Candidate(50, "a", true, "a", 51, "a", 20, 10))).as("exactly the bound behind")
                .isEqualTo(Verdict.WITHIN_BACKLOG);
        assertThat(new Thinning(11, 5).decide(skippable())).isEqualTo(Verdict.WITHIN_BACKLOG);
    }

    @Test
    void theInitialModelAndAStreamsFirstVersionAreScored() {
        assertThat(RULE.decide(new Candidate(0, "a", false, null, 1, "a", -1, 500))).isEqualTo(Verdict.INITIAL_MODEL);
        assertThat(RULE.decide(new Candidate(0, "a", true, "a", 1, "a", -1, 500))).isEqualTo(Verdict.INITIAL_MODEL);
        assertThat(RULE.decide(new Candidate(7, "a", false, null, 8, "a", -1, 500))).as("first seen after a retention cut")
                .isEqualTo(Verdict.FIRST_OF_STREAM);
    }

    @Test
    void theBoundaryAndTheFirstVersionAfterItAreScored() {
        // b = 60 is the last "a"; 61 the first "b"
        assertThat(RULE.decide(new Candidate(60, "a", true, "a", 61, "b", -1, 500))).isEqualTo(Verdict.BOUNDARY);
        assertThat(RULE.decide(new Candidate(61, "b", true, "a", 62, "b", -1, 500))).isEqualTo(Verdict.FIRST_AFTER_BOUNDARY);
        // a task-free stream (null) and a recurring task are tasks like any other
        assertThat(RULE.decide(new Candidate(61, null, true, "a", 62, null, -1, 500))).isEqualTo(Verdict.FIRST_AFTER_BOUNDARY);
        assertThat(RULE.decide(new Candidate(80, "a", true, "b", 81, "a", 60, 500))).isEqualTo(Verdict.FIRST_AFTER_BOUNDARY);
        assertThat(RULE.decide(new Candidate(50, null, true, "", 51, null, -1, 500))).as("blank and null are both task-free")
                .isEqualTo(Verdict.SKIP);
    }

    @Test
    void aVersionWhoseSuccessorIsNotInHandMightBeABoundaryAndIsScored() {
        assertThat(RULE.decide(new Candidate(50, "a", true, "a", -1, null, 20, 500))).isEqualTo(Verdict.NO_SUCCESSOR_IN_HAND);
        assertThat(RULE.decide(new Candidate(50, "a", true, "a", 48, "a", 20, 500))).as("a republished older version follows")
                .isEqualTo(Verdict.NO_SUCCESSOR_IN_HAND);
    }

    @Test
    void theDenseWindowAfterABoundaryIsScoredInFull() {
        for (long v = 61; v <= 65; v++) {
            assertThat(RULE.decide(new Candidate(v, "b", true, "b", v + 1, "b", 60, 500))).as("v%d", v)
                    .isEqualTo(Verdict.DENSE_AFTER_BOUNDARY);
        }
        assertThat(RULE.decide(new Candidate(66, "b", true, "b", 67, "b", 60, 500))).isEqualTo(Verdict.SKIP);
        assertThat(new Thinning(10, 0).decide(new Candidate(62, "b", true, "b", 63, "b", 60, 500))).isEqualTo(Verdict.SKIP);
        // before any boundary the window follows the initial model: the first task's early curve (LCA) is scored
        assertThat(RULE.decide(new Candidate(5, "a", true, "a", 6, "a", -1, 500))).isEqualTo(Verdict.DENSE_AFTER_BOUNDARY);
        assertThat(RULE.decide(new Candidate(6, "a", true, "a", 7, "a", -1, 500))).isEqualTo(Verdict.SKIP);
    }

    @Test
    void negativeSettingsAreRefused() {
        assertThatThrownBy(() -> new Thinning(-1, 5)).hasMessageContaining("eval.thin.backlog");
        assertThatThrownBy(() -> new Thinning(5, -1)).hasMessageContaining("eval.thin.dense.after");
    }
}
