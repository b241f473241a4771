package io.clpipe.app.reproduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

    private final TextTable table = new TextTable(List.of("strategy", "ACC"),
            List.of(List.of("finetune", "0.199"), List.of("replay", "0.9")));

    @Test
    void textAlignsColumnsFirstLeftOthersRight() {
        assertThat(table.text().lines()).containsExactly(
                "  strategy    ACC",
                "  finetune  0.199",
                "  replay      0.9");
    }

    @Test
    void markdownHasAHeaderRuleAndOneLinePerRow() {
        assertThat(table.markdown()).isEqualTo("| strategy | ACC |\n|---|---:|\n| finetune | 0.199 |\n| replay | 0.9 |\n");
    }

    @Test
    void refusesRowsOfTheWrongWidthAndFormatsUndefinedAsNa() {
        assertThatThrownBy(() -> new TextTable(List.of("a", "b"), List.of(List.of("x")))).isInstanceOf(IllegalArgumentException.class);
        assertThat(TextTable.number(null)).isEqualTo("n/a");
        assertThat(TextTable.number(0.12345)).isEqualTo("0.123");
        assertThat(TextTable.oneDecimal(12.24)).isEqualTo("12.2");
    }
}
