package io.clpipe.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The declarations against the config class (docs/operations.md's table against them: app's SettingsDocsTest). */
class IngestSettingsTest {

    @Test
    void everyDeclaredKeyIsAccepted() {
        Properties props = new Properties();
        props.putAll(Map.of("topics.prefix", "lab.", "application.id", "app", "state.dir", "s", "feature.dim", "8", "classes", "3",
                "max.record.bytes", "2048", "max.text.chars", "100", "eval.permille", "50", "text.chunk.bytes", "0",
                "drift.detection", "true"));
        props.setProperty("drift.adwin.delta", "0.01");
        assertThat(props.stringPropertyNames()).allMatch(k -> IngestSettings.CATALOG.find(k).isPresent()
                || k.startsWith("drift.") && IngestSettings.CATALOG.find("drift.*").isPresent());
        assertThat(props.stringPropertyNames()).hasSize(IngestSettings.CATALOG.keys().size());
        IngestServiceConfig c = IngestServiceConfig.fromProperties(props);
        assertThat(c.applicationId()).isEqualTo("app");
        assertThat(c.routing().evalPerMille()).isEqualTo(50);
        assertThat(IngestServiceConfig.fromProperties(new Properties()).routing().evalPerMille())
                .isEqualTo(IngestSettings.EVAL_PERMILLE.defaultValue());
    }
}
