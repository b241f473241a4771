package io.clpipe.bench.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.datasets.DatasetMissingException;
import io.clpipe.bench.evaluator.EvaluatorBenchConfig.DataChoice;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's wiring and report on tiny runs; no timing is asserted. */
class EvaluatorBenchmarkTest {

    private static final EvaluatorBenchConfig TINY = new EvaluatorBenchConfig(new int[] {16}, 2, 30, List.of(7, 30), List.of(1),
            1, 2, 3, 50, 8, 2, 64, DataChoice.SYNTHETIC, 1);

    @Test
    void printsOneRowPerSettingAndTheHeadlineLast() {
        StringWriter text = new StringWriter();
        EvaluatorBenchReport report = new EvaluatorBenchmark(TINY, () -> {
            throw new AssertionError("synthetic runs must not load MNIST");
        }).run(new PrintWriter(text));
        String output = text.toString();

        assertThat(report.rows()).extracting(PipelineRow::chunk).containsExactly(7, 30);
        assertThat(report.rows()).allSatisfy(row -> {
            assertThat(row.blasThreads()).isEqualTo(1);
            assertThat(row.evaluationsPerSecond().min()).isPositive().isLessThanOrEqualTo(row.evaluationsPerSecond().max());
            assertThat(row.forwardSamplesPerSecond()).isPositive();
        });
        assertThat(report.fastest().evaluationsPerSecond().median())
                .isEqualTo(report.rows().stream().mapToDouble(r -> r.evaluationsPerSecond().median()).max().orElseThrow());
        assertThat(report.samplesPerEvaluation()).isEqualTo(60);
        assertThat(report.engineAlone().median()).isPositive();
        assertThat(report.learner()).singleElement().satisfies(row -> assertThat(row.snapshotsPerSecond().median()).isPositive());
        assertThat(report.smallestRho()).isGreaterThanOrEqualTo(1);
        assertThat(output).contains("data: synthetic data").contains("repeat 3/3 done").contains("metrics engine alone")
                .contains("← fastest").contains("evaluator ceiling");
        assertThat(lastLine(output)).matches("evaluator: \\d+\\.\\d evaluations/s \\(MLP 784-16-10, 2 tasks × 30 samples,"
                + " chunk (7|30), 1 OpenBLAS thread\\)");
    }

    @Test
    void withoutTheMnistCacheItRunsOnSyntheticDataAndSaysWhy() {
        StringWriter text = new StringWriter();
        EvaluatorBenchReport report = new EvaluatorBenchmark(TINY.withData(DataChoice.MNIST_IF_CACHED), () -> {
            throw new DatasetMissingException("dataset 'mnist' is not in /nowhere");
        }).run(new PrintWriter(text));

        assertThat(report.dataSource()).startsWith("synthetic").contains("MNIST not cached").contains("/nowhere");
        assertThat(text.toString()).contains("data: synthetic data").contains("MNIST not cached");
    }

    @Test
    void rejectsSettingsItCannotRun() {
        assertThatThrownBy(() -> new EvaluatorBenchConfig(new int[] {16}, 6, 30, List.of(7), List.of(1), 1, 2, 3, 50, 8, 2, 64,
                DataChoice.SYNTHETIC, 1)).hasMessageContaining("tasks");
        assertThatThrownBy(() -> new EvaluatorBenchConfig(new int[] {16}, 2, 30, List.of(0), List.of(1), 1, 2, 3, 50, 8, 2, 64,
                DataChoice.SYNTHETIC, 1)).hasMessageContaining("chunk");
    }

    @Test
    void defaultsAreTheIssuesBenchmark() {
        EvaluatorBenchConfig defaults = EvaluatorBenchConfig.defaults();
        assertThat(defaults.architecture()).isEqualTo("784-400-400-10");
        assertThat(defaults.tasks()).isEqualTo(5);
        assertThat(defaults.samplesPerTask()).isEqualTo(1000);
        assertThat(defaults.chunkSizes()).containsExactly(128, 250, 500, 1000);
    }

    @Test
    void spreadTakesTheMiddleAndTheEnds() {
        assertThat(Spread.of(List.of(3.0, 1.0, 2.0))).isEqualTo(new Spread(2, 1, 3));
        assertThat(Spread.of(List.of(4.0, 1.0, 2.0, 9.0))).isEqualTo(new Spread(3, 1, 9));
        assertThat(new Spread(10, 9, 12).halfRangePercent()).isEqualTo(15.0);
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }
}
