package io.clpipe.bench.evaluator;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code clpipe bench evaluator} with its defaults from the test class path, until the app
 * wires the subcommand. Not a test (Surefire does not pick it up): start it with {@code java -cp}.
 */
public final class RunEvaluatorBenchmark {

    private RunEvaluatorBenchmark() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        new EvaluatorBenchmark(EvaluatorBenchConfig.defaults()).run(out);
    }
}
