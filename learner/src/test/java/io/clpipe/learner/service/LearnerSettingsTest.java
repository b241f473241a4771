package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The declarations against the config class (docs/operations.md's table against them: app's SettingsDocsTest). */
class LearnerSettingsTest {

    @Test
    void theDeclaredDefaultsAreTheConfigsDefaults() {
        LearnerServiceConfig read = LearnerServiceConfig.fromProperties(new Properties());
        LearnerServiceConfig d = LearnerServiceConfig.defaults(Path.of(LearnerSettings.CHECKPOINT_DIR.defaultValue()));
        assertThat(read.checkpointDir()).isEqualTo(d.checkpointDir());
        assertThat(read.checkpointEverySteps()).isEqualTo(d.checkpointEverySteps());
        assertThat(read.pollTimeout()).isEqualTo(d.pollTimeout());
        assertThat(read.plan()).isEqualTo(d.plan());
        assertThat(read.readAhead()).isEqualTo(d.readAhead());
        assertThat(read.batchLingerMs()).isEqualTo(d.batchLingerMs());
        assertThat(read.checkpointStore()).isEqualTo(d.checkpointStore());
        assertThat(read.checkpointGenerations()).isEqualTo(d.checkpointGenerations());
        assertThat(read.checkpointChunkBytes()).isEqualTo(d.checkpointChunkBytes());
        assertThat(read.snapshotFlow()).isEqualTo(SnapshotFlow.DEFAULTS);
        // Reptile is off in both; only its unused ε differs (the settings' 0.1 is the paper's value when turned on).
        assertThat(read.learner()).usingRecursiveComparison().ignoringFields("reptile.epsilon").isEqualTo(d.learner());
        assertThat(((ModelTemplate.Mlp) read.models()).hidden()).isEqualTo(((ModelTemplate.Mlp) d.models()).hidden());
    }
}
