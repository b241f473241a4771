package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The declarations against the config class (docs/operations.md's table against them: app's SettingsDocsTest). */
class EvaluatorSettingsTest {

    @Test
    void theBuildersDefaultsAreTheDeclaredOnesAndEveryDeclaredKeyIsKnown() {
        Properties props = new Properties();
        props.setProperty("state.dir", "d");
        EvaluatorServiceConfig read = EvaluatorServiceConfig.fromProperties(props);
        assertThat(read).isEqualTo(EvaluatorServiceConfig.builder(Path.of("d")).build());
        assertThat(read.evalSetSize()).isEqualTo(EvaluatorSettings.EVAL_SET_SIZE.defaultValue());
        assertThat(read.catchUpTimeout().toMillis()).isEqualTo(EvaluatorSettings.CATCHUP_TIMEOUT_MS.defaultValue());
        assertThat(read.textContext()).isEqualTo(EvaluatorSettings.TEXT_CONTEXT.defaultValue());
        assertThat(EvaluatorServiceConfig.Builder.KEYS).containsAll(EvaluatorSettings.CATALOG.keys()).contains("topic.prefix")
                .hasSize(EvaluatorSettings.CATALOG.keys().size() + 1);
    }
}
