package io.clpipe.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The soak's code path, short: 20,000 training samples of a recurring Split-MNIST sequence through
 * a learner and an evaluator in their own JVMs. The bounded structures they report (read from the
 * live replay buffer and eval sets through /metrics) fill up to their caps and never pass them, and
 * every reading has both services' heap and RSS.
 */
class SoakIT {

    private static final int REPLAY_CAP = 500;
    private static final int EVAL_SET_CAP = 150;

    @Test
    void replayBufferAndEvalSetsFillToTheirCapsAndStayThere() {
        SoakConfig config = SoakConfig.defaults().withSamples(20_000).withSamplesPerTask(2_000)
                .withBounds(REPLAY_CAP, EVAL_SET_CAP).withSampleEvery(Duration.ofSeconds(3));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        SoakResult result = new SoakBenchmark(config).run(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String output = printed.toString(StandardCharsets.UTF_8);
        List<SoakReading> readings = result.readings();

        // one reading at every tenth of the samples produced, and the final one: however fast the machine
        assertThat(readings).as(output).hasSizeGreaterThanOrEqualTo(11);
        SoakReading last = result.last();
        assertThat(last.trained()).as(output).isGreaterThanOrEqualTo(config.samples() - config.batchSize());
        // 20,000 samples in tasks of 2,000: every task seen twice, 400 eval samples each (one per 10) > the cap.
        assertThat(last.replaySize()).as("replay buffer at its cap\n%s", output).isEqualTo(REPLAY_CAP);
        assertThat(last.evalSetSizes()).as(output).containsOnlyKeys("0-1", "2-3", "4-5", "6-7", "8-9");
        assertThat(last.evalSetSizes().values()).as("every eval set at its cap\n%s", output).containsOnly((long) EVAL_SET_CAP);
        for (SoakReading r : readings) {
            assertThat(r.replaySize()).as("replay never above its cap\n%s", output).isLessThanOrEqualTo(REPLAY_CAP);
            assertThat(r.evalSetSizes().values()).as("eval sets never above their cap\n%s", output)
                    .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(EVAL_SET_CAP));
            assertThat(List.of(r.learnerHeap(), r.learnerRss(), r.evaluatorHeap(), r.evaluatorRss()))
                    .as("heap and RSS read at %.0f s%n%s", r.seconds(), output).allSatisfy(v -> assertThat(v).isPositive());
        }
        assertThat(last.evaluatedIteration()).as(output).isGreaterThan(0);
        assertThat(output).contains("verdict:");
    }
}
