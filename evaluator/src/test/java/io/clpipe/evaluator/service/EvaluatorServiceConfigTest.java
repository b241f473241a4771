package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.SubsetMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EvaluatorServiceConfigTest {

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void defaults() {
        EvaluatorServiceConfig c = EvaluatorServiceConfig.fromProperties(props("state.dir", "/tmp/ev"));
        assertThat(c.stateDir()).isEqualTo(Path.of("/tmp/ev"));
        assertThat(c.groupId()).isEqualTo("clpipe-evaluator");
        assertThat(c.transactionalId()).isEqualTo("clpipe-evaluator");
        assertThat(c.topics().models()).isEqualTo("clpipe.models");
        assertThat(c.evalSetSize()).isEqualTo(1000);
        assertThat(c.reservoirSize()).isEqualTo(1000);
        assertThat(c.subsetMode()).isEqualTo(SubsetMode.FIXED);
        assertThat(c.direction()).isEmpty();
        assertThat(c.windows()).containsExactly(10, 100);
        assertThat(c.pollTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.thinning().on()).as("thinning is opt-in").isFalse();
        assertThat(c.thinning().denseAfter()).isEqualTo(100);
    }

    @Test
    void everyKeyIsRead() {
        EvaluatorServiceConfig c = EvaluatorServiceConfig.fromProperties(props("state.dir", "d", "topics.prefix", "lab.",
                "group.id", "g", "transactional.id", "t", "eval.set.size", "200", "eval.reservoir.size", "500",
                "eval.subset.mode", "Resampled", "eval.seed", "7", "direction", "loss", "metrics.windows", "5, 50",
                "metrics.lca.beta", "4", "metrics.recovery.tolerance", "0.02", "metrics.gap.history", "9",
                "text.context", "32", "poll.timeout.ms", "100", "catchup.timeout.ms", "2000",
                "max.snapshots.per.transaction", "3", "eval.thin.backlog", "40", "eval.thin.dense.after", "25"));
        assertThat(c).isEqualTo(new EvaluatorServiceConfig(io.clpipe.schemas.Topics.withPrefix("lab."), "g", "t", 200, 500,
                SubsetMode.RESAMPLED, 7, Optional.of(Direction.LOSS), List.of(5, 50), 4, 0.02, 9, 32, Path.of("d"),
                Duration.ofMillis(100), Duration.ofSeconds(2), 3, new Thinning(40, 25), false));
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> EvaluatorServiceConfig.fromProperties(props("state.dir", "d", "eval.size", "5")))
                .hasMessageContaining("unknown evaluator settings [eval.size]");
        assertThatThrownBy(() -> EvaluatorServiceConfig.fromProperties(props("eval.set.size", "5")))
                .hasMessageContaining("state.dir is required");
        assertThatThrownBy(() -> EvaluatorServiceConfig.fromProperties(props("state.dir", "d", "eval.set.size", "many")))
                .hasMessageContaining("eval.set.size must be an integer, got 'many'");
        assertThatThrownBy(() -> EvaluatorServiceConfig.fromProperties(props("state.dir", "d", "eval.reservoir.size", "10")))
                .hasMessageContaining("subsetSize <= capacity");
        assertThatThrownBy(() -> EvaluatorServiceConfig.fromProperties(props("state.dir", "d", "direction", "up")))
                .hasMessageContaining("unknown direction 'up'");
        assertThatThrownBy(() -> EvaluatorServiceConfig.fromProperties(props("state.dir", "d", "metrics.windows", "1")))
                .hasMessageContaining("each >= 2");
        assertThatThrownBy(() -> EvaluatorServiceConfig.fromProperties(props("state.dir", "d", "eval.thin.backlog", "-1")))
                .hasMessageContaining("eval.thin.backlog and eval.thin.dense.after must be >= 0");
        assertThatThrownBy(() -> EvaluatorServiceConfig.fromProperties(props("state.dir", "d", "scoring", "remote")))
                .hasMessageContaining("scoring must be local or spread, got 'remote'");
        assertThatThrownBy(() -> EvaluatorServiceConfig.fromProperties(props("state.dir", "d", "scoring", "spread",
                "eval.subset.mode", "resampled"))).hasMessageContaining("scoring=spread needs eval.subset.mode=fixed");
        assertThatThrownBy(() -> EvaluatorServiceConfig.fromProperties(props("state.dir", "d", "scoring", "spread",
                "eval.thin.backlog", "10"))).hasMessageContaining("scoring=spread does not thin");
    }

    @Test
    void spreadScoringIsOptIn() {
        assertThat(EvaluatorServiceConfig.fromProperties(props("state.dir", "d")).spreadScoring()).isFalse();
        assertThat(EvaluatorServiceConfig.fromProperties(props("state.dir", "d", "scoring", " Spread")).spreadScoring()).isTrue();
        assertThat(EvaluatorServiceConfig.fromProperties(props("state.dir", "d", "scoring", "local")).spreadScoring()).isFalse();
    }
}
