package io.clpipe.predictor.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.schemas.Topics;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The declarations against the config class (docs/operations.md's table against them: app's SettingsDocsTest). */
class PredictorSettingsTest {

    @Test
    void noSettingsGiveTheDeclaredDefaultsAndEveryDeclaredKeyIsKnown() {
        PredictorServiceConfig read = PredictorServiceConfig.fromProperties(new Properties());
        assertThat(read).isEqualTo(PredictorServiceConfig.defaults(Topics.defaults()));
        assertThat(read.defaultTop()).isEqualTo(5);
        assertThat(read.catchUpTimeout().toMillis()).isEqualTo(30_000);
        assertThat(PredictorServiceConfig.KEYS).containsAll(PredictorSettings.CATALOG.keys()).contains("topic.prefix")
                .hasSize(PredictorSettings.CATALOG.keys().size() + 1);
    }
}
