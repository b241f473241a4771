package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsCatalogTest {

    private static final Setting<Integer> SIZE = Setting.integer("eval.set.size", 1000, "samples per task");
    private static final Setting<String> MODE = Setting.string("mode", "fixed", "`fixed` or `resampled`").expecting("fixed or resampled");
    private static final Setting<int[]> WINDOWS = Setting.integers("metrics.windows", new int[] {10, 100}, "windows");
    private static final SettingsCatalog CATALOG = new SettingsCatalog("svc", List.of(SIZE, MODE, WINDOWS,
            Setting.decimal("tolerance", 0.010, "tolerance"), Setting.integer("derived", null, "from another").shown("`size`")));

    @Test
    void theTableHasOneRowPerSettingInDeclarationOrder() {
        assertThat(CATALOG.markdown()).isEqualTo("""
                | key | default | meaning |
                |---|---|---|
                | `eval.set.size` | 1000 | samples per task |
                | `mode` | `fixed` | `fixed` or `resampled` |
                | `metrics.windows` | `10,100` | windows |
                | `tolerance` | 0.01 | tolerance |
                | `derived` | `size` | from another |
                """);
    }

    @Test
    void theTableIsFoundAndReplacedBetweenTheServicesMarkers() {
        String doc = "intro\n<!-- settings:svc -->\n| old |\n<!-- /settings:svc -->\nafter\n";
        assertThat(CATALOG.tableIn(doc)).isEqualTo("| old |\n");
        String regenerated = CATALOG.withTableIn(doc);
        assertThat(regenerated).startsWith("intro\n<!-- settings:svc -->\n| key |").endsWith("<!-- /settings:svc -->\nafter\n");
        assertThat(CATALOG.tableIn(regenerated)).isEqualTo(CATALOG.markdown());
        assertThatThrownBy(() -> CATALOG.tableIn("no markers")).hasMessageContaining("<!-- settings:svc -->");
    }

    @Test
    void aKeyIsDeclaredOnceAndSpelledSoTheEnvironmentCanSetIt() {
        assertThatThrownBy(() -> new SettingsCatalog("svc", List.of(SIZE, Setting.integer("eval.set.size", 5, "again"))))
                .hasMessageContaining("eval.set.size is declared twice");
        assertThatThrownBy(() -> Setting.integer("eval_set.size", 5, "x")).hasMessageContaining("lower-case words");
        assertThatThrownBy(() -> Setting.integer("Eval.size", 5, "x")).hasMessageContaining("lower-case words");
        assertThat(SIZE.environmentVariable("evaluator")).isEqualTo("CLPIPE_EVALUATOR_EVAL_SET_SIZE");
    }

    @Test
    void theReaderParsesThroughTheDeclarationAndNamesBadValues() {
        Properties props = new Properties();
        props.setProperty("eval.set.size", " 200 ");
        props.setProperty("metrics.windows", "5, 50");
        SettingsReader reader = new SettingsReader("svc", props);
        assertThat(reader.get(SIZE)).isEqualTo(200);
        assertThat(reader.get(WINDOWS)).containsExactly(5, 50);
        assertThat(reader.get(MODE)).isEqualTo("fixed");
        int[] first = new SettingsReader("svc", new Properties()).get(WINDOWS);
        first[0] = 99;
        assertThat(WINDOWS.defaultValue()).containsExactly(10, 100);
        props.setProperty("eval.set.size", "many");
        assertThatThrownBy(() -> reader.get(SIZE)).hasMessage("svc setting eval.set.size=many: expected an integer");
        reader.rejectUnknown();
    }
}
