package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.evaluator.engine.ContinualMetricsEngine;
import io.clpipe.evaluator.engine.Direction;
import io.clpipe.evaluator.engine.EngineConfig;
import io.clpipe.evaluator.engine.Evaluation;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateCodecTest {

    @TempDir
    Path dir;

    /** Encodes and decodes the streams inside a full state, as a restart would. */
    static List<EvaluatorState.StreamProgress> roundTrip(List<EvaluatorState.StreamProgress> streams) {
        EvaluatorState state = new EvaluatorState("clpipe.models", "g", Map.of(0, 7L), Map.of(0, 9L), streams, List.of());
        try {
            return StateCodec.decode(StateCodec.encode(state)).streams();
        } catch (StateCorruptException e) {
            throw new AssertionError(e);
        }
    }

    static EvaluatorState sample() {
        ContinualMetricsEngine engine = new ContinualMetricsEngine(EngineConfig.defaults(Direction.ACCURACY).withGapHistory(1));
        engine.accept(new Evaluation(0, null, Map.of("a", 0.1)));
        engine.accept(new Evaluation(1, "a", Map.of("a", 0.6)));
        engine.accept(new Evaluation(2, "b", scores("a", 0.2, "b", 0.3)));
        engine.accept(new Evaluation(3, "c", scores("a", 0.5, "b", 0.9, "c", 0.1)));
        engine.accept(new Evaluation(4, "c", scores("a", 0.7, "b", 0.9, "c", 0.4)));
        ContinualMetricsEngine loss = new ContinualMetricsEngine(EngineConfig.defaults(Direction.LOSS).withWindows(List.of(3, 7)));
        loss.accept(new Evaluation(5, "en", Map.of("en", 2.5)));
        return new EvaluatorState("lab.models", "clpipe-evaluator", Map.of(0, 120L, 1, 33L), Map.of(0, 58L),
                List.of(new EvaluatorState.StreamProgress("digits", 4, 6, "c", engine.exportState()),
                        new EvaluatorState.StreamProgress("text", 5, 5, "en", loss.exportState()),
                        new EvaluatorState.StreamProgress("fresh", -1, 3, null, null)),
                List.of(new EvaluatorState.SubsetFingerprint("digits", "a", 1000, 0xFFFFFFFFL)));
    }

    private static Map<String, Double> scores(Object... pairs) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], (Double) pairs[i + 1]);
        }
        return out;
    }

    @Test
    void roundTripKeepsEverything() throws Exception {
        EvaluatorState state = sample();
        byte[] bytes = StateCodec.encode(state);
        EvaluatorState decoded = StateCodec.decode(bytes);
        assertThat(decoded).isEqualTo(state);
        assertThat(StateCodec.encode(decoded)).isEqualTo(bytes);
        assertThat(decoded.streams().get(0).engine().closedGaps()).hasSize(1);
        assertThat(decoded.streams().get(0).engine().openGaps()).hasSize(2);
    }

    @Test
    void everyFlippedByteIsRefused() {
        byte[] bytes = StateCodec.encode(sample());
        for (int i = 0; i < bytes.length; i++) {
            byte[] corrupt = bytes.clone();
            corrupt[i] ^= 0x10;
            int at = i;
            assertThatThrownBy(() -> StateCodec.decode(corrupt)).as("flipped byte %d", at).isInstanceOf(StateCorruptException.class);
        }
    }

    @Test
    void truncatedExtendedForeignAndNewerFilesAreRefusedWithAReason() {
        byte[] bytes = StateCodec.encode(sample());
        assertThatThrownBy(() -> StateCodec.decode(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(StateCorruptException.class).hasMessageContaining("does not match the file size");
        assertThatThrownBy(() -> StateCodec.decode(Arrays.copyOf(bytes, bytes.length + 3)))
                .isInstanceOf(StateCorruptException.class).hasMessageContaining("does not match the file size");
        assertThatThrownBy(() -> StateCodec.decode(new byte[5])).hasMessageContaining("shorter than its header");
        assertThatThrownBy(() -> StateCodec.decode("{\"not\":\"an evaluator state\"}".getBytes())).hasMessageContaining("not an evaluator state file");
        byte[] newer = bytes.clone();
        ByteBuffer.wrap(newer).putInt(4, StateCodec.VERSION + 1);
        assertThatThrownBy(() -> StateCodec.decode(newer)).hasMessageContaining("written by a newer build");
    }

    @Test
    void storeSavesAtomicallyAndLocksItsDirectory() throws Exception {
        try (StateStore store = new StateStore(dir)) {
            assertThat(store.load()).isEmpty();
            store.save(sample());
            assertThat(store.load()).contains(sample());
            assertThat(Files.exists(dir.resolve(StateStore.FILE_NAME + ".tmp"))).isFalse();
            assertThatThrownBy(() -> new StateStore(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("locked by another evaluator");

            Files.write(store.file(), new byte[] {'C', 'L', 'E', 'V', 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4});
            assertThatThrownBy(store::load).isInstanceOf(StateCorruptException.class).hasMessageContaining("checksum");
        }
        try (StateStore reopened = new StateStore(dir)) {
            assertThat(reopened.file()).exists();
        }
    }
}
