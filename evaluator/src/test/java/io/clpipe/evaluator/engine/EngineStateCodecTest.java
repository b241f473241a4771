package io.clpipe.evaluator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineStateCodecTest {

    private static byte[] encode(EngineState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EngineStateCodec.write(new DataOutputStream(bytes), state);
        return bytes.toByteArray();
    }

    private static EngineState decode(byte[] bytes) throws IOException {
        return EngineStateCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    private static Map<String, Double> scores(Object... pairs) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], (Double) pairs[i + 1]);
        }
        return out;
    }

    private static ContinualMetricsEngine threeTasks() {
        ContinualMetricsEngine engine = new ContinualMetricsEngine(EngineConfig.defaults(Direction.ACCURACY).withGapHistory(2));
        engine.accept(new Evaluation(0, null, Map.of("a", 0.1)));
        engine.recordInitialScore("a", 0.1);
        engine.accept(new Evaluation(1, "a", Map.of("a", 0.6)));
        engine.accept(new Evaluation(2, "a", scores("a", 0.8)));
        engine.accept(new Evaluation(3, "b", scores("a", 0.3, "b", 0.4)));
        engine.recordLateScore("a", "b", 0.2);
        engine.accept(new Evaluation(4, "b", scores("a", 0.5, "b", 0.9)));
        return engine;
    }

    @Test
    void aRestoredEngineGoesOnExactlyAsTheOneThatWasNeverStopped() throws IOException {
        ContinualMetricsEngine uninterrupted = threeTasks();
        ContinualMetricsEngine restored = ContinualMetricsEngine.restore(decode(encode(threeTasks().exportState())));
        assertThat(restored.exportState()).isEqualTo(uninterrupted.exportState());
        for (Evaluation next : List.of(new Evaluation(5, "c", scores("a", 0.2, "b", 0.6, "c", 0.3)),
                new Evaluation(6, "c", scores("a", 0.4, "b", 0.7, "c", 0.8)))) {
            assertThat(restored.record(next)).isEqualTo(uninterrupted.record(next));
        }
    }

    @Test
    void encodingIsStableAcrossARoundTrip() throws IOException {
        byte[] bytes = encode(threeTasks().exportState());
        assertThat(encode(decode(bytes))).isEqualTo(bytes);
    }

    @Test
    void aTruncatedOrInflatedBodyIsRefused() throws IOException {
        byte[] bytes = encode(threeTasks().exportState());
        assertThatThrownBy(() -> decode(Arrays.copyOf(bytes, bytes.length - 3))).isInstanceOf(EOFException.class);
        byte[] huge = bytes.clone();
        // the windows list's size, right after the direction label: a count larger than the bytes left
        int windowsCount = 2 + "accuracy".length();
        huge[windowsCount] = 0x7f;
        assertThatThrownBy(() -> decode(huge)).isInstanceOf(IOException.class).hasMessageContaining("does not fit");
    }
}
