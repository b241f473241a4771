package io.clpipe.predictor.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.schemas.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PredictorSettingsTest {

    @Test
    void operationsDocsTableIsGeneratedFromTheDeclarations() throws Exception {
        assertThat(PredictorSettings.CATALOG.committedTable(Path.of("..", "docs", "operations.md")))
                .isEqualTo(PredictorSettings.CATALOG.markdown());
    }

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
