package io.clpipe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.ingest.source.SampleSource;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code clpipe produce --scenario split-mnist}, what docker-compose's demo-producer runs, yields the tasks in order. */
class ProduceScenarioTest {

    @Test
    void splitMnistComesTaskAfterTaskEachWithItsEvalSamplesFirst() throws Exception {
        ProduceCommand command = new ProduceCommand();
        new CommandLine(command).parseArgs("--scenario", "split-mnist", "--stream", "digits");
        List<String> segments = new ArrayList<>();
        long samples = 0;
        try (SampleSource source = command.openSource()) {
            while (source.hasNext()) {
                Sample s = source.next();
                samples++;
                assertThat(s.getStream()).isEqualTo("digits");
                int first = Integer.parseInt(s.getTask().split("-")[0]);
                assertThat(s.getLabel()).as("label of task %s", s.getTask()).isBetween(first, first + 1);
                String segment = s.getTask() + " " + s.getSplit();
                if (segments.isEmpty() || !segments.get(segments.size() - 1).equals(segment)) {
                    segments.add(segment);
                }
            }
            assertThat(source.size()).hasValue(samples);
        }
        List<String> expected = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            expected.add(2 * t + "-" + (2 * t + 1) + " " + Split.EVAL);
            expected.add(2 * t + "-" + (2 * t + 1) + " " + Split.TRAIN);
        }
        assertThat(segments).isEqualTo(expected);
    }

    @Test
    void limitCutsTheScenario() throws Exception {
        ProduceCommand command = new ProduceCommand();
        new CommandLine(command).parseArgs("--scenario", "split-mnist", "--limit", "1500");
        long n = 0;
        try (SampleSource source = command.openSource()) {
            while (source.hasNext()) {
                source.next();
                n++;
            }
        }
        assertThat(n).isEqualTo(1500);
    }
}
