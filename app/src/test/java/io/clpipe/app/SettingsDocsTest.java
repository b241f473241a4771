package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.evaluator.service.EvaluatorSettings;
import io.clpipe.evaluator.service.ScorerSettings;
import io.clpipe.ingest.service.IngestSettings;
import io.clpipe.learner.service.LearnerSettings;
import io.clpipe.predictor.service.PredictorSettings;
import io.clpipe.schemas.Setting;
import io.clpipe.schemas.SettingsCatalog;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service's settings table in docs/operations.md is the one generated from its declarations; run with
 * {@code -Dclpipe.docs.write=true} to regenerate the tables. Every declared key can be set from the environment.
 */
class SettingsDocsTest {

    static Stream<SettingsCatalog> catalogs() {
        return Stream.of(LearnerSettings.CATALOG, EvaluatorSettings.CATALOG, IngestSettings.CATALOG, PredictorSettings.CATALOG,
                ScorerSettings.CATALOG);
    }

    @ParameterizedTest
    @MethodSource("catalogs")
    void theOperationsDocsTableIsGeneratedFromTheDeclarations(SettingsCatalog catalog) throws Exception {
        assertThat(catalog.committedTable(Path.of("..", "docs", "operations.md"))).isEqualTo(catalog.markdown());
    }

    @ParameterizedTest
    @MethodSource("catalogs")
    void everyDeclaredKeyCanBeSetFromTheEnvironment(SettingsCatalog catalog) {
        for (Setting<?> s : catalog.settings()) {
            if (s.key().endsWith(".*")) {
                continue;
            }
            assertThat(new ServiceSettings().load(catalog.service(), Map.of(s.environmentVariable(catalog.service()), "v")))
                    .as(s.key()).containsExactly(Map.entry(s.key(), "v"));
        }
    }
}
