package io.clpipe.bench.learner;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.learner.engine.schedule.Constant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's wiring and report on tiny runs; no timing is asserted. */
class LearnerBenchmarkTest {

    private static final String DEFAULT_ROW = "learner/pytorch with the service's defaults (sgd+momentum 0.9, lr 0.01, batch 128)";

    private static final BenchConfig TINY = new BenchConfig(List.of(8, 128), 1, 2, 2, List.of(1), List.of(), 2, 1);

    /** A stand-in peer that answers every step request with "1 second". */
    private static final List<String> FAKE_PEER = List.of("sh", "-c", """
            echo '{"torch":"fake","python":"0","threads":1,"blas":[],"env":{}}'
            while read -r line; do
              case "$line" in
                *sgemm*) echo '{"gflops": 10.0}' ;;
                *) echo '{"seconds": 1.0}' ;;
              esac
            done
            """);

    @Test
    void withoutPyTorchItSaysSoAndStillPrintsTheNd4jFigures() {
        String output = run(TINY.withTorchCommand(List.of("/nonexistent/python3", "bench/torch_mlp.py", "--serve")));
        assertThat(output).contains("PyTorch: unavailable").contains("sgd (fused)").contains("adamw");
        assertThat(lastLine(output)).startsWith(DEFAULT_ROW + " = n/a");
    }

    @Test
    void withAPeerItPrintsBothSidesAndTheRatioLast() {
        BenchReport[] report = new BenchReport[1];
        String output = run(TINY.withTorchCommand(FAKE_PEER), report);
        assertThat(report[0].torchProblem()).isEmpty();
        assertThat(report[0].rows()).hasSize(2 * Nd4jVariant.all().size());
        BenchRow row = report[0].rows().stream().filter(r -> r.batch() == 128 && r.variant().fused()).findFirst().orElseThrow();
        assertThat(row.torch()).isPresent();
        assertThat(row.torch().get().samplesPerSecond()).isEqualTo(128 * 2 / 1.0);
        assertThat(row.ratio()).isPresent();
        assertThat(row.ratio().getAsDouble()).isPositive();
        assertThat(output).contains("PyTorch's BLAS (2 threads) 10.0 GFLOP/s").contains("generic path").contains("fused SGD = ")
                .containsPattern("slowest row: batch \\d+ .+ = \\d+\\.\\d\\d");
        assertThat(lastLine(output)).startsWith(DEFAULT_ROW + " = ").matches(".* = \\d+\\.\\d\\d");
    }

    @Test
    void aPeerThatFailsMidRunLeavesNd4jFiguresAndSaysWhy() {
        List<String> failing = List.of("sh", "-c", """
                echo '{"torch":"fake","python":"0","threads":1,"blas":[],"env":{}}'
                read -r line; echo '{"gflops": 1.0}'
                read -r line; echo '{"seconds": 1.0}'
                read -r line; echo '{"error": "RuntimeError: boom"}'
                """);
        BenchReport[] report = new BenchReport[1];
        String output = run(TINY.withTorchCommand(failing), report);
        assertThat(report[0].torchProblem()).get().asString().contains("boom");
        assertThat(report[0].rows()).allSatisfy(r -> assertThat(r.nd4j().samplesPerSecond()).isPositive());
        assertThat(lastLine(output)).startsWith(DEFAULT_ROW + " = n/a");
    }

    @Test
    void theServiceDefaultIsTheRowOfLearnerConfigDefaults() {
        ServiceDefault d = ServiceDefault.of(LearnerConfig.defaults()).orElseThrow();
        assertThat(d.batch()).isEqualTo(LearnerConfig.defaults().batchSize());
        assertThat(d.variant()).isEqualTo(new Nd4jVariant(BenchOptimizer.MOMENTUM, false));
        assertThat(d.description()).isEqualTo("sgd+momentum 0.9, lr 0.01, batch 128");
        LearnerConfig adamW = LearnerConfig.defaults().withOptimizer(OptimizerSpec.AdamW.defaults()).withSchedule(Constant.of(1e-3))
                .withBatchSize(512);
        assertThat(ServiceDefault.of(adamW)).get().extracting(ServiceDefault::variant, ServiceDefault::batch)
                .containsExactly(new Nd4jVariant(BenchOptimizer.ADAMW, false), 512);
        assertThat(ServiceDefault.of(LearnerConfig.defaults().withOptimizer(new OptimizerSpec.Sgd(0.9, true, 0)))).isEmpty();
        assertThat(ServiceDefault.of(LearnerConfig.defaults().withSchedule(Constant.of(0.05)))).isEmpty();
    }

    @Test
    void countsTheFlopsOfForwardAndBackward() {
        // 2·B·(2·(784·256 + 256·256 + 256·10) + 256·256 + 256·10): no input delta for the first layer
        assertThat(Nd4jStepRunner.flopsPerStep(128)).isEqualTo(155_058_176.0);
    }

    @Test
    void ratiosArePairedWithinARepeatBeforeTheMedian() {
        // ND4J 2, 1, 8 samples/s against PyTorch 1, 1, 2 in the same repeats: ratios 2, 1, 4 → median 2
        List<StepTiming> nd4j = List.of(new StepTiming(1, 1, 0.5), new StepTiming(1, 1, 1), new StepTiming(1, 1, 0.125));
        List<StepTiming> torch = List.of(new StepTiming(1, 1, 1), new StepTiming(1, 1, 1), new StepTiming(1, 1, 0.5));
        assertThat(Medians.ofPairedRatios(nd4j, torch)).isEqualTo(2.0);
    }

    @Test
    void mediansUseTheMiddleRuns() {
        assertThat(Medians.of(List.of(new StepTiming(1, 1, 3), new StepTiming(1, 1, 1), new StepTiming(1, 1, 2))).seconds()).isEqualTo(2);
        assertThat(Medians.of(List.of(new StepTiming(1, 1, 4), new StepTiming(1, 1, 1), new StepTiming(1, 1, 2), new StepTiming(1, 1, 9))).seconds())
                .isEqualTo(3);
    }

    private static String run(BenchConfig config) {
        return run(config, new BenchReport[1]);
    }

    private static String run(BenchConfig config, BenchReport[] report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            report[0] = new LearnerBenchmark(config).run(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }
}
