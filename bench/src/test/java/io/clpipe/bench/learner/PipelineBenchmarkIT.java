package io.clpipe.bench.learner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tiny {@code bench pipeline} run: the service, with and without its read-ahead thread, and the
 * in-memory engine must train the same samples to the same weights (else the ratios compare different
 * work), with the snapshot count the cadence implies. Throughput figures are printed, not asserted.
 */
class PipelineBenchmarkIT {

    @Test
    void theServiceWithAndWithoutReadAheadAndTheEngineFromMemoryEndWithTheSameWeightsAndTheReportSaysSo() {
        PipelineBenchConfig config = new PipelineBenchConfig(2_100, 128, List.of(32), List.of(4, PipelineBenchConfig.SNAPSHOTS_OFF),
                2, 5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PipelineReport report = new PipelineBenchmark(config).run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(text);

        assertThat(config.trainedSamples()).isEqualTo(16 * 128);
        assertThat(report.rows()).extracting(PipelineRow::snapshotPeriod).containsExactly(4, PipelineBenchConfig.SNAPSHOTS_OFF);
        assertThat(report.rows()).allSatisfy(r -> {
            assertThat(r.sameWeights()).as("same final weights, snapshots %s", r.cadence()).isTrue();
            for (ServiceFigures f : List.of(r.readAhead(), r.direct())) {
                assertThat(f.ratio().median()).isPositive().isFinite();
                assertThat(f.ratio().min()).isLessThanOrEqualTo(f.ratio().median());
                assertThat(f.stepShare().median()).isBetween(0.0, 1.0);
                assertThat(f.stepMicros().median()).isPositive().isFinite();
            }
        });
        // 16 steps: versions 0, 4, 8, 12, 16; with snapshots off only the untrained model
        assertThat(report.rows().get(0).snapshotsPerRun()).isEqualTo(5);
        assertThat(report.rows().get(1).snapshotsPerRun()).isEqualTo(1);
        // 784·32 + 32 + 32·10 + 10 parameters in float32, plus the record's other fields
        assertThat(report.rows().get(0).snapshotBytes()).isGreaterThan(4 * 25_450.0);
        assertThat(text).contains("| every 4 |", "| off |", "read-ahead").doesNotContain("WEIGHTS DIFFER")
                .endsWith(report.summaryLine() + String.format(java.util.Locale.ROOT,
                        " (snapshots every 4 iterations; without read-ahead %.2f)", report.directRatio()) + System.lineSeparator());
        assertThat(report.summaryLine()).matches("learner service/memory = \\d+\\.\\d\\d");
    }
}
