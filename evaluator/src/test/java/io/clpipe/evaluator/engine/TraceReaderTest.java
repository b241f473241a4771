package io.clpipe.evaluator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TraceReaderTest {

    private static List<Evaluation> read(Direction direction, String text) throws Exception {
        List<Evaluation> out = new ArrayList<>();
        new TraceReader(direction).read(new BufferedReader(new StringReader(text)), out::add);
        return out;
    }

    @Test
    void rowsOfOneIterationBecomeOneEvaluation() throws Exception {
        List<Evaluation> evals = read(Direction.ACCURACY, """
                iteration,task,eval_task,accuracy
                0,,A,0.1
                0,,B,0.2
                1,A,A,0.5

                2, A ,A, 0.6
                2,A,B,0.3
                """);
        assertThat(evals).hasSize(3);
        assertThat(evals.get(0).initialModel()).isTrue();
        assertThat(evals.get(0).scores()).containsEntry("A", 0.1).containsEntry("B", 0.2);
        assertThat(evals.get(2).iteration()).isEqualTo(2);
        assertThat(evals.get(2).learningTask()).isEqualTo("A");
        assertThat(evals.get(2).scores().keySet()).containsExactly("A", "B");
    }

    @Test
    void lossTracesHaveALossColumnAndAnyNonNegativeValue() throws Exception {
        List<Evaluation> evals = read(Direction.LOSS, "iteration,task,eval_task,loss\n1,en,en,4.5\n");
        assertThat(evals.get(0).scores()).containsEntry("en", 4.5);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "''                                                          | 1 | empty trace",
            "iteration,task,accuracy                                     | 1 | expected header",
            "iteration,task,eval_task,accuracy                           | 1 | header but no rows",
            "iteration,task,eval_task,accuracy\\n1,A,A                   | 2 | expected 4 comma-separated fields, got 3",
            "iteration,task,eval_task,accuracy\\nx,A,A,0.5               | 2 | iteration 'x' is not an integer",
            "iteration,task,eval_task,accuracy\\n-1,A,A,0.5              | 2 | negative",
            "iteration,task,eval_task,accuracy\\n1,A,A,0.5\\n1,A,,0.5    | 3 | eval_task must not be empty",
            "iteration,task,eval_task,accuracy\\n1,,A,0.5                | 2 | task must not be empty",
            "iteration,task,eval_task,accuracy\\n1,A,A,abc               | 2 | accuracy 'abc' is not a number",
            "iteration,task,eval_task,accuracy\\n1,A,A,1.5               | 2 | accuracy 1.5 is outside [0, 1]",
            "iteration,task,eval_task,accuracy\\n1,A,A,NaN               | 2 | not finite",
            "iteration,task,eval_task,accuracy\\n2,A,A,0.5\\n1,A,A,0.5   | 3 | iteration 1 comes after iteration 2",
            "iteration,task,eval_task,accuracy\\n1,A,A,0.5\\n1,B,B,0.5   | 3 | learning task 'A' on an earlier row, not 'B'",
            "iteration,task,eval_task,accuracy\\n1,A,A,0.5\\n1,A,A,0.6   | 3 | scored twice at iteration 1",
    })
    void malformedTracesNameTheLine(String text, long line, String problem) {
        String trace = text.replace("\\n", "\n");
        assertThatThrownBy(() -> read(Direction.ACCURACY, trace))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageStartingWith("line " + line + ": ")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((TraceFormatException) e).line()).isEqualTo(line));
    }

    @Test
    void negativeLossIsRejected() {
        assertThatThrownBy(() -> read(Direction.LOSS, "iteration,task,eval_task,loss\n1,en,en,-0.1\n"))
                .hasMessage("line 2: loss -0.1 is negative");
    }
}
