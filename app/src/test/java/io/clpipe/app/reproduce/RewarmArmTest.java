package io.clpipe.app.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.learner.service.LearnerServiceConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RewarmArmTest {

    private final RewarmSetting setting = RewarmSetting.quick(1);

    @Test
    void everyArmHasValidLearnerSettingsAndTheSameSteps() {
        for (RewarmArm arm : RewarmArm.values()) {
            LearnerServiceConfig config = LearnerServiceConfig.fromProperties(arm.learnerSettings(setting));
            assertThat(config.learner().batchSize()).isEqualTo(setting.batch());
            // compute-equivalent: the replay arms read less new text, not more steps
            assertThat(arm.phaseBytes(setting) / arm.newPerStep(setting)).as(arm.label()).isEqualTo(setting.stepsPerPhase());
            assertThat(arm.replayPerStep(setting)).isEqualTo((int) Math.round(arm.replay() * 100));
            // past-only replay has nothing to replay in the EN phase: its batches are all new text there
            int firstPhasePerStep = "past".equals(arm.replayPolicy()) ? setting.batch() : arm.newPerStep(setting);
            assertThat(arm.firstPhaseBytes(setting) / firstPhasePerStep).as(arm.label()).isEqualTo(setting.stepsPerPhase());
            assertThat(config.learner().replay().policy().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                    .as(arm.label()).isEqualTo(arm.replayPolicy() == null ? "none" : arm.replayPolicy());
        }
        assertThat(Arrays.stream(RewarmArm.values()).map(RewarmArm::label))
                .containsExactly("union", "constant-lr", "rewarm", "rewarm+replay-1%", "rewarm+replay-5%", "rewarm+replay-25%", "infinite",
                        "rewarm+replay-25%+reptile", "rewarm+tb-replay-1%", "rewarm+tb-replay-5%", "rewarm+tb-replay-25%");
        assertThat(RewarmArm.REPLAY_25.replayPolicy()).isEqualTo("past");
        assertThat(RewarmArm.TB_REPLAY_25.replayPolicy()).isEqualTo("task-balanced");
    }

    @Test
    void theTransformerSettingBuildsAByteTransformerAndCountsStepsInWindows() {
        RewarmSetting tf = RewarmSetting.transformerQuick(1);
        for (RewarmArm arm : RewarmArm.values()) {
            LearnerServiceConfig config = LearnerServiceConfig.fromProperties(arm.learnerSettings(tf));
            assertThat(config.models().toString()).startsWith("byte-transformer ctx=" + tf.context());
            // a window trains on context bytes: the same steps per phase in bytes / (windows per step · context)
            assertThat(arm.phaseBytes(tf) / ((long) arm.newPerStep(tf) * tf.context())).as(arm.label()).isEqualTo(tf.stepsPerPhase());
        }
        assertThat(tf.parameters()).isEqualTo(io.clpipe.models.ParameterLayout.of(tf.modelSpec()).size());
    }

    @Test
    void armsParseByLabelOrName() {
        assertThat(RewarmArm.parse("rewarm+replay-25%")).isEqualTo(RewarmArm.REPLAY_25);
        assertThat(RewarmArm.parse("replay-25")).isEqualTo(RewarmArm.REPLAY_25);
        assertThat(RewarmArm.parse("UNION")).isEqualTo(RewarmArm.UNION);
    }

    @Test
    void bitsPerByteIsNatsOverLn2() {
        assertThat(RewarmTable.bits(Math.log(2) * 3)).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(RewarmTable.bits(null)).isNull();
    }
}
