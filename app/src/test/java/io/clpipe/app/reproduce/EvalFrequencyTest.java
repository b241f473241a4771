package io.clpipe.app.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class EvalFrequencyTest {

    @Test
    void oneRowPerPeriodWithItsOwnEvaluationsAndMetrics() {
        List<EvalFrequency.Row> rows = EvalFrequency.rows(MetricLines.twoTasksWithDip(12, 15, 0.2));
        assertThat(rows).extracting(EvalFrequency.Row::rho).containsExactly(1, 10, 100, 1000);
        assertThat(rows).extracting(EvalFrequency.Row::evaluations).containsExactly(25, 5, 3, 3);
        assertThat(rows.get(0).metrics().snapshot().minAcc()).isLessThan(rows.get(1).metrics().snapshot().minAcc());
        String text = EvalFrequency.table(rows).text();
        assertThat(text).contains("min-ACC").contains("WC-ACC");
        assertThat(text.lines()).hasSize(5);
        assertThat(text.lines().skip(1).findFirst().orElseThrow()).contains("0.200");
    }

    /**
     * The kept iterations are nested (multiples of 1000 ⊂ of 100 ⊂ of 10 ⊂ all, task ends in every set) and the
     * last record is always kept, so a sparser evaluation can only miss lows: min-ACC and WC-ACC never decrease
     * with ρ, on any trace.
     */
    @RepeatedTest(20)
    void sparserEvaluationNeverReportsLowerWorstCaseMetrics(org.junit.jupiter.api.RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        List<String> tasks = List.of("0-1", "2-3", "4-5");
        int perTask = 150 + random.nextInt(300);
        List<String> lines = new ArrayList<>();
        lines.add(MetricLines.line(0, null, Map.of("0-1", 0.0, "2-3", 0.0, "4-5", 0.0)));
        for (long n = 1; n <= (long) perTask * tasks.size(); n++) {
            int k = (int) ((n - 1) / perTask);
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int j = 0; j <= k; j++) {
                scores.put(tasks.get(j), Math.round(random.nextDouble() * 1000) / 1000.0);
            }
            lines.add(MetricLines.line(n, tasks.get(k), scores));
        }
        List<EvalFrequency.Row> rows = EvalFrequency.rows(lines);
        for (int i = 1; i < rows.size(); i++) {
            var denser = rows.get(i - 1).metrics().snapshot();
            var sparser = rows.get(i).metrics().snapshot();
            assertThat(sparser.minAcc()).as("min-ACC at ρ = %d", rows.get(i).rho()).isGreaterThanOrEqualTo(denser.minAcc());
            assertThat(sparser.wcAcc()).as("WC-ACC at ρ = %d", rows.get(i).rho()).isGreaterThanOrEqualTo(denser.wcAcc());
            assertThat(sparser.acc()).isEqualTo(denser.acc());
            assertThat(rows.get(i).evaluations()).isLessThanOrEqualTo(rows.get(i - 1).evaluations());
        }
    }
}
