package io.clpipe.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class IngestSettingsTest {

    @Test
    void operationsDocsTableIsGeneratedFromTheDeclarations() throws Exception {
        assertThat(IngestSettings.CATALOG.committedTable(Path.of("..", "docs", "operations.md")))
                .isEqualTo(IngestSettings.CATALOG.markdown());
    }

    @Test
    void everyDeclaredKeyIsAccepted() {
        Properties props = new Properties();
        props.setProperty("topics.prefix", "lab.");
        props.setProperty("application.id", "app");
        props.setProperty("state.dir", "s");
        props.setProperty("feature.dim", "8");
        props.setProperty("classes", "3");
        props.setProperty("max.record.bytes", "2048");
        props.setProperty("max.text.chars", "100");
        props.setProperty("eval.permille", "50");
        props.setProperty("text.chunk.bytes", "0");
        props.setProperty("drift.detection", "true");
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
