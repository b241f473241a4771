package io.clpipe.learner.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.learner.engine.ContinualLearner;
import io.clpipe.learner.engine.LearnerConfig;
import io.clpipe.learner.engine.ReptileConfig;
import io.clpipe.learner.engine.Sample;
import io.clpipe.learner.engine.TestModels;
import io.clpipe.learner.engine.optim.OptimizerSpec;
import io.clpipe.learner.engine.replay.ReplayConfig;
import io.clpipe.learner.engine.replay.ReplayPolicy;
import io.clpipe.learner.engine.replay.ReplayState;
import io.clpipe.learner.engine.schedule.SchedulePosition;
import io.clpipe.models.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointCodecTest {

    @TempDir
    Path dir;

    private static LearnerState trainedState() {
        LearnerConfig config = LearnerConfig.defaults().withBatchSize(32).withOptimizer(OptimizerSpec.AdamW.defaults())
                .withReplay(ReplayConfig.of(ReplayPolicy.TASK_BALANCED, 50, 0.25)).withReptile(new ReptileConfig(5, 0.1));
        try (Model model = TestModels.softmaxRegression(3)) {
            ContinualLearner learner = new ContinualLearner(model, config);
            for (List<Sample> batch : TestModels.stream(12, config.newPerStep(), 8)) {
                learner.step(batch);
            }
            return learner.state(Map.of("offsets", "clpipe.train-0=17,clpipe.train-1=4", "note", "ünïcode ✓"));
        }
    }

    @Test
    void roundTripsEveryField() throws IOException {
        LearnerState state = trainedState();
        Path file = dir.resolve("a.ckpt");
        write(file, state);
        LearnerState read = read(file);

        assertThat(read.modelSpec()).isEqualTo(state.modelSpec());
        assertThat(read.iteration()).isEqualTo(12);
        assertThat(read.lastLoss()).isEqualTo(state.lastLoss());
        assertThat(read.lrScale()).isEqualTo(state.lrScale());
        assertThat(read.currentTask()).isEqualTo(state.currentTask());
        assertThat(read.seenTasks()).containsExactly(0, 1);
        assertThat(Arrays.equals(read.parameters(), state.parameters())).isTrue();
        assertThat(read.optimizer().kind()).isEqualTo("adamw");
        assertThat(read.optimizer().stepCount()).isEqualTo(12);
        assertThat(read.optimizer().vectors()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(Arrays.equals(read.optimizer().vectors().get(i), state.optimizer().vectors().get(i))).isTrue();
        }
        assertThat(read.schedule()).isEqualTo(state.schedule());
        assertThat(read.rng()).containsExactly(state.rng());
        assertThat(Arrays.equals(read.reptileAnchor(), state.reptileAnchor())).isTrue();
        assertThat(read.callerData()).isEqualTo(state.callerData());

        ReplayState r = read.replay();
        assertThat(r.policy()).isEqualTo(ReplayPolicy.TASK_BALANCED);
        assertThat(r.size()).isEqualTo(state.replay().size()).isEqualTo(50);
        for (int g = 0; g < r.groups().size(); g++) {
            ReplayState.Group a = r.groups().get(g);
            ReplayState.Group b = state.replay().groups().get(g);
            assertThat(a.key()).isEqualTo(b.key());
            assertThat(a.seen()).isEqualTo(b.seen());
            for (int i = 0; i < a.samples().size(); i++) {
                Sample.Dense x = (Sample.Dense) a.samples().get(i);
                Sample.Dense y = (Sample.Dense) b.samples().get(i);
                assertThat(Arrays.equals(x.features(), y.features())).isTrue();
                assertThat(x.label()).isEqualTo(y.label());
                assertThat(x.task()).isEqualTo(y.task());
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void byteWindowsAndEmptyOptionalPartsRoundTrip() throws IOException {
        byte[] window = {0, 127, (byte) 200, (byte) 255};
        ReplayState replay = new ReplayState(ReplayPolicy.RESERVOIR, 4,
                List.of(new ReplayState.Group(0, 9, List.of(Sample.bytes(window, 65, Sample.NO_TASK)))));
        LearnerState state = new LearnerState("byte-lm", 3, Double.NaN, 1, -1, new int[0], new float[] {1.5f},
                new LearnerState.OptimizerState("sgd", 3, List.of()), SchedulePosition.start(0.1, 0), replay, null,
                new long[] {1, 2, 3, 4}, Map.of());
        Path file = dir.resolve("lm.ckpt");
        write(file, state);
        LearnerState read = read(file);
        assertThat(read.reptileAnchor()).isNull();
        assertThat(read.lastLoss()).isNaN();
        Sample.Bytes s = (Sample.Bytes) read.replay().groups().get(0).samples().get(0);
        assertThat(s.window()).containsExactly(window);
        assertThat(s.label()).isEqualTo(65);
        float[] row = new float[4];
        s.copyFeaturesTo(row, 0);
        assertThat(row).containsExactly(0f, 127f, 200f, 255f);
    }

    @Test
    void anyFlippedByteIsRefused() throws IOException {
        Path good = dir.resolve("good.ckpt");
        write(good, trainedState());
        byte[] bytes = Files.readAllBytes(good);
        int[] positions = {0, 5, 9, 20, bytes.length / 3, bytes.length / 2, bytes.length - 40, bytes.length - 33,
                bytes.length - 1};
        for (int pos : positions) {
            byte[] bad = bytes.clone();
            bad[pos] ^= 0x10;
            Path file = dir.resolve("flipped-" + pos + ".ckpt");
            Files.write(file, bad);
            assertThatThrownBy(() -> read(file)).as("flip at %d", pos)
                    .isInstanceOf(CheckpointCorruptException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("checksum mismatch");
        }
    }

    @Test
    void truncatedOrForeignFilesAreRefusedWithAReason() throws IOException {
        Path good = dir.resolve("good.ckpt");
        write(good, trainedState());
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.ckpt");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> read(truncated)).isInstanceOf(CheckpointCorruptException.class)
                .hasMessageContaining("truncated.ckpt").hasMessageContaining("truncated or corrupted");

        Path tiny = dir.resolve("tiny.ckpt");
        Files.write(tiny, Arrays.copyOf(bytes, 20));
        assertThatThrownBy(() -> read(tiny)).isInstanceOf(CheckpointCorruptException.class)
                .hasMessageContaining("too short");

        Path empty = dir.resolve("empty.ckpt");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> read(empty)).isInstanceOf(CheckpointCorruptException.class);
    }

    @Test
    void aValidChecksumOverAForeignHeaderIsStillRefused() throws Exception {
        // rewrite the magic and re-sign the file: the checksum passes, the magic check must not
        Path good = dir.resolve("good.ckpt");
        write(good, trainedState());
        byte[] bytes = Files.readAllBytes(good);
        bytes[0] = 'X';
        Path foreign = dir.resolve("foreign.ckpt");
        Files.write(foreign, resign(bytes));
        assertThatThrownBy(() -> read(foreign)).isInstanceOf(CheckpointCorruptException.class)
                .hasMessageContaining("bad magic");

        bytes = Files.readAllBytes(good);
        bytes[11] = 9;
        Path future = dir.resolve("future.ckpt");
        Files.write(future, resign(bytes));
        assertThatThrownBy(() -> read(future)).isInstanceOf(CheckpointCorruptException.class)
                .hasMessageContaining("format version 9");

        // a section length pointing past the end of the file
        bytes = Files.readAllBytes(good);
        int metaLength = 8 + 4 + 2 + 4;
        bytes[metaLength] = 0x7f;
        Path overlong = dir.resolve("overlong.ckpt");
        Files.write(overlong, resign(bytes));
        assertThatThrownBy(() -> read(overlong)).isInstanceOf(CheckpointCorruptException.class)
                .hasMessageContaining("section 'meta' claims");
    }

    private static byte[] resign(byte[] bytes) throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update(bytes, 0, bytes.length - 32);
        byte[] digest = sha.digest();
        System.arraycopy(digest, 0, bytes, bytes.length - 32, 32);
        return bytes;
    }

    /** A checkpoint as the directory store keeps it: the codec's bytes in a file. */
    private static void write(Path file, LearnerState state) throws IOException {
        Files.write(file, CheckpointCodec.encode(state));
    }

    private static LearnerState read(Path file) throws IOException {
        return CheckpointCodec.decode(file.toString(), Files.readAllBytes(file));
    }
}
