package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.learner.engine.replay.ReplayConfig;
import io.clpipe.learner.engine.replay.ReplayPolicy;
import io.clpipe.learner.engine.schedule.Constant;
import io.clpipe.learner.engine.schedule.WarmupDecay;
import io.clpipe.schemas.EvaluationPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LearnerServiceConfigTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void noSettingsGiveTheDefaults() {
        LearnerServiceConfig c = LearnerServiceConfig.fromProperties(props());
        assertThat(c.groupId()).isEqualTo("clpipe-learner");
        assertThat(c.topics().train()).isEqualTo("clpipe.train");
        assertThat(c.checkpointDir()).isEqualTo(Path.of("clpipe-checkpoints"));
        assertThat(c.plan()).isEqualTo(EvaluationPlan.boundaryDense(50, 50));
        assertThat(c.learner().batchSize()).isEqualTo(128);
        assertThat(c.learner().schedule()).isEqualTo(Constant.of(0.01));
        assertThat(c.models()).isInstanceOf(ModelTemplate.Mlp.class);
        assertThat(((ModelTemplate.Mlp) c.models()).hidden()).containsExactly(256, 256);
        assertThat(c.batchLingerMs()).isEqualTo(3000);
    }

    @Test
    void batchLingerIsSettableAndMinusOneTurnsItOff() {
        assertThat(LearnerServiceConfig.fromProperties(props("batch.linger.ms", "250")).batchLingerMs()).isEqualTo(250);
        assertThat(LearnerServiceConfig.fromProperties(props("batch.linger.ms", "-1")).batchLingerMs()).isEqualTo(-1);
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("batch.linger.ms", "-2")))
                .hasMessageContaining("batch.linger.ms");
    }

    @Test
    void snapshotChunksAndEvalMaxLagAreSettableAndBackPressureIsOffByDefault() {
        assertThat(LearnerServiceConfig.fromProperties(new Properties()).snapshotFlow()).isEqualTo(SnapshotFlow.DEFAULTS);
        assertThat(SnapshotFlow.DEFAULTS.evalMaxLag()).isZero();
        assertThat(SnapshotFlow.DEFAULTS.chunkBytes()).isEqualTo(983_040);
        SnapshotFlow f = LearnerServiceConfig.fromProperties(props("snapshot.chunk.bytes", "500000", "eval.max.lag", "4",
                "eval.group.id", "ev")).snapshotFlow();
        assertThat(f).isEqualTo(new SnapshotFlow(500_000, 4, "ev"));
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("snapshot.chunk.bytes", "100")))
                .hasMessageContaining("snapshot.chunk.bytes");
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("eval.max.lag", "-1")))
                .hasMessageContaining("eval.max.lag");
    }

    @Test
    void thePrequentialFadingFactorIsSettableWithinZeroToOne() {
        assertThat(LearnerServiceConfig.fromProperties(new Properties()).prequentialFading()).isEqualTo(0.999);
        assertThat(LearnerServiceConfig.fromProperties(props("prequential.fading", "1")).prequentialFading()).isEqualTo(1.0);
        assertThat(LearnerServiceConfig.fromProperties(props("prequential.fading", "0.99")).prequentialFading()).isEqualTo(0.99);
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("prequential.fading", "0")))
                .hasMessageContaining("prequential.fading");
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("prequential.fading", "1.5")))
                .hasMessageContaining("prequential.fading");
    }

    @Test
    void everyPartIsSettable() {
        LearnerServiceConfig c = LearnerServiceConfig.fromProperties(props(
                "topics.prefix", "lab.", "group.id", "g", "checkpoint.dir", "/tmp/ck", "checkpoint.every.steps", "7",
                "poll.timeout.ms", "250", "eval.period", "10", "eval.dense.window", "5",
                "model.hidden", "400,400", "model.classes", "10", "seed", "3", "batch.size", "256",
                "optimizer", "adamw", "weight.decay", "0.05", "lr", "0.001", "schedule", "cosine", "warmup.steps", "100",
                "total.steps", "10000", "replay.policy", "class-balanced", "replay.capacity", "2000",
                "replay.fraction", "0.5", "replay.loss.weights", "0.3,0.7", "clip.norm", "1.0"));
        assertThat(c.topics().train()).isEqualTo("lab.train");
        assertThat(c.groupId()).isEqualTo("g");
        assertThat(c.checkpointEverySteps()).isEqualTo(7);
        assertThat(c.pollTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.plan()).isEqualTo(EvaluationPlan.boundaryDense(10, 5));
        assertThat(c.learner().seed()).isEqualTo(3);
        assertThat(c.learner().optimizer()).isEqualTo(new OptimizerSpec.AdamW(0.9, 0.999, 1e-8, 0.05));
        assertThat(c.learner().schedule()).isEqualTo(WarmupDecay.cosine(0.001, 0.0001, 100, 10000));
        assertThat(c.learner().replay()).isEqualTo(ReplayConfig.of(ReplayPolicy.CLASS_BALANCED, 2000, 0.5).withLossWeights(0.3, 0.7));
        assertThat(c.learner().newPerStep()).isEqualTo(128);
        assertThat(c.learner().clipping().maxNorm()).isEqualTo(1.0);
    }

    @Test
    void mistakesAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("batch.szie", "64")))
                .hasMessageContaining("unknown learner setting(s) [batch.szie]");
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("schedule", "cosine")))
                .hasMessageContaining("cosine needs total.steps");
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("lr", "fast")))
                .hasMessageContaining("lr=fast: expected a number");
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("replay.policy", "lifo")))
                .hasMessageContaining("replay.policy");
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("model.kind", "cnn")))
                .hasMessageContaining("mlp, byte-lm or byte-transformer");
    }

    @Test
    void theCheckpointStoreIsLocalByDefaultAndKafkaOnRequest() {
        assertThat(LearnerServiceConfig.fromProperties(props()).checkpointStore())
                .isEqualTo(LearnerServiceConfig.CheckpointStoreKind.LOCAL);
        LearnerServiceConfig k = LearnerServiceConfig.fromProperties(props("checkpoint.store", "kafka",
                "checkpoint.kafka.generations", "5", "checkpoint.kafka.chunk.bytes", "65536"));
        assertThat(k.checkpointStore()).isEqualTo(LearnerServiceConfig.CheckpointStoreKind.KAFKA);
        assertThat(k.checkpointGenerations()).isEqualTo(5);
        assertThat(k.checkpointChunkBytes()).isEqualTo(65536);
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("checkpoint.store", "s3")))
                .hasMessageContaining("local or kafka");
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("checkpoint.kafka.generations", "1")))
                .hasMessageContaining("at least 2");
    }

    @Test
    void theTrainingTopicIsReadAheadByDefaultAndZeroRecordsTurnsItOff() {
        LearnerServiceConfig.ReadAhead d = LearnerServiceConfig.fromProperties(props()).readAhead();
        assertThat(d.enabled()).isTrue();
        assertThat(d).isEqualTo(new LearnerServiceConfig.ReadAhead(2048, 32L << 20));
        LearnerServiceConfig.ReadAhead off = LearnerServiceConfig.fromProperties(props("train.read.ahead.records", "0")).readAhead();
        assertThat(off.enabled()).isFalse();
        LearnerServiceConfig.ReadAhead small = LearnerServiceConfig.fromProperties(props("train.read.ahead.records", "100",
                "train.read.ahead.bytes", "65536")).readAhead();
        assertThat(small).isEqualTo(new LearnerServiceConfig.ReadAhead(100, 65536));
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("train.read.ahead.records", "-1")))
                .hasMessageContaining("train.read.ahead.records");
        assertThatThrownBy(() -> LearnerServiceConfig.fromProperties(props("train.read.ahead.bytes", "0")))
                .hasMessageContaining("train.read.ahead.bytes");
    }

    @Test
    void aByteLanguageModelStream() {
        LearnerServiceConfig c = LearnerServiceConfig.fromProperties(props("model.kind", "byte-lm", "model.context", "64",
                "model.embed", "8", "model.hidden", "512"));
        ModelTemplate.ByteLm lm = (ModelTemplate.ByteLm) c.models();
        assertThat(lm.context()).isEqualTo(64);
        assertThat(lm.embedDim()).isEqualTo(8);
        assertThat(lm.hidden()).containsExactly(512);
    }
}
