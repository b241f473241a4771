package io.clpipe.predictor.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.clpipe.models.Batch;
import io.clpipe.models.Model;
import io.clpipe.models.ModelSpec;
import io.clpipe.models.Models;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScorerTest {

    private static float[] probabilities(Model m, float[] row) {
        float[] p = new float[m.spec().classes()];
        m.predict(new Batch(row, new int[1], null, 1), p);
        return p;
    }

    private static int argMax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    @Test
    void classifierQueriesGetTheirOwnRowsDistributionSortedTopK() {
        ModelSpec spec = new ModelSpec.Mlp(4, new int[] {6}, 5, 2); // maxBatch 2: three queries are chunked
        try (Model m = Models.create(spec, 11)) {
            ServedModel served = new ServedModel("s", 7, null, spec, m);
            float[][] rows = {{1, 0, 0, 0}, {0, 2, 0, 1}, {-1, 0, 3, 0}};
            List<Scored> out = new Scorer().score(served, List.of(new Query.Features(rows[0], 3),
                    new Query.Features(rows[1], 3), new Query.Features(rows[2], 10)));
            for (int i = 0; i < rows.length; i++) {
                float[] p = probabilities(m, rows[i]);
                Scored s = out.get(i);
                assertThat(s.predicted()).isEqualTo(argMax(p));
                assertThat(s.probability()).isCloseTo(p[argMax(p)], within(1e-7));
                assertThat(s.top()).hasSize(i == 2 ? 5 : 3);
                for (int k = 1; k < s.top().size(); k++) {
                    assertThat(s.top().get(k).probability()).isLessThanOrEqualTo(s.top().get(k - 1).probability());
                }
                assertThat(s.continuation()).isEmpty();
            }
        }
    }

    static java.util.stream.Stream<ModelSpec> languageModels() {
        return java.util.stream.Stream.of(new ModelSpec.ByteLm(4, 3, new int[] {16}, 8),
                new ModelSpec.ByteTransformer(4, 8, 2, 1, 8));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("languageModels")
    void languageModelWindowsThePromptsLastBytesAndContinuesGreedily(ModelSpec spec) {
        try (Model m = Models.create(spec, 5)) {
            byte[] prompt = "ab".getBytes(StandardCharsets.UTF_8);
            Scored s = new Scorer().score(new ServedModel("lm", 1, null, spec, m), List.of(new Query.Text(prompt, 2, 3))).get(0);
            float[] window = {0, 0, 'a', 'b'};
            int expected = argMax(probabilities(m, window));
            assertThat(s.predicted()).isEqualTo(expected);
            assertThat(s.continuation()).hasSize(3);
            assertThat(s.continuation()[0] & 0xff).isEqualTo(expected);
            float[] next = {0, 'a', 'b', expected};
            assertThat(s.continuation()[1] & 0xff).isEqualTo(argMax(probabilities(m, next)));
            float[] third = {'a', 'b', expected, s.continuation()[1] & 0xff};
            assertThat(s.continuation()[2] & 0xff).isEqualTo(argMax(probabilities(m, third)));
        }
    }

    @Test
    void misfitsAreNamed() {
        ModelSpec mlp = new ModelSpec.Mlp(4, new int[] {6}, 5, 2);
        assertThat(Scorer.misfit(mlp, new Query.Features(new float[3], 1))).contains("3 features", "takes 4");
        assertThat(Scorer.misfit(mlp, new Query.Text(new byte[] {1}, 1, 0))).contains("text given");
        assertThat(Scorer.misfit(new ModelSpec.ByteLm(4, 3, new int[] {16}, 8), new Query.Features(new float[4], 1)))
                .contains("features given");
        assertThat(Scorer.misfit(new ModelSpec.ByteTransformer(4, 8, 2, 1, 8), new Query.Features(new float[4], 1)))
                .contains("features given");
        assertThat(Scorer.misfit(new ModelSpec.ByteTransformer(4, 8, 2, 1, 8), new Query.Text(new byte[] {1}, 1, 0))).isNull();
        assertThat(Scorer.misfit(mlp, new Query.Features(new float[4], 1))).isNull();
    }
}
