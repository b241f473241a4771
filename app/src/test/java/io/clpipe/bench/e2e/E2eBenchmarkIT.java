package io.clpipe.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code clpipe bench e2e}, short: every produced sample is routed, every full batch of the train
 * samples is trained by the pipeline's learner and again by the learner alone, and the report ends
 * with its summary line. Speeds are printed, never asserted.
 */
class E2eBenchmarkIT {

    @Test
    void everySampleGoesThroughTheWholePathAndTheReportEndsWithItsSummaryLine() {
        E2eConfig config = E2eConfig.defaults().withSamples(1_500).withFormat(E2eConfig.Format.avro);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        E2eResult result = new E2eBenchmark(config).run(new PrintStream(printed, true, StandardCharsets.UTF_8));

        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        long fullBatches = result.e2e().count();
        assertThat(fullBatches).as(output).isPositive().isEqualTo(fullBatches / config.batchSize() * config.batchSize());
        // about 10% go to eval by the sample id's hash: the train share is all but a few hundred
        assertThat(fullBatches).as(output).isBetween(1_500L * 8 / 10 - config.batchSize(), 1_500L);
        // run() returns only once ingest routed all 1,500, the pipeline's learner trained every full batch and the
        // learner alone did too (else it throws); the rates themselves depend on the machine and are not checked
        assertThat(result.evaluatorIterationLag()).as(output).isGreaterThanOrEqualTo(0);
        assertThat(output).endsWith(result.summaryLine() + System.lineSeparator());
    }
}
