package io.clpipe.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A tiny ingest benchmark: every record is routed exactly once (train + eval = records, none
 * rejected), through exactly-once commits; throughput is printed, not asserted.
 */
class IngestBenchmarkIT {

    @Test
    void everyRecordIsRoutedOnceAndTheReportEndsWithItsSummaryLine() {
        IngestBenchConfig config = new IngestBenchConfig(600, 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        IngestBenchReport report = new IngestBenchmark(config).run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(text);

        assertThat(report.runs()).hasSize(1).allSatisfy(run -> {
            assertThat(run.train() + run.eval()).isEqualTo(600);
            assertThat(run.eval()).as("about 10% to eval by the sample id's hash").isBetween(20L, 120L);
            assertThat(run.rejected()).isZero();
            assertThat(run.commits()).as("exactly-once commits").isPositive();
            assertThat(run.timedRecords()).isPositive().isLessThan(600);
        });
        assertThat(report.summaryLine()).matches("ingest records/s = \\d+");
        assertThat(text).endsWith(report.summaryLine() + System.lineSeparator());
    }
}
