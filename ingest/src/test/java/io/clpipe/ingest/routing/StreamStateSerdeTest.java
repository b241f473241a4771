package io.clpipe.ingest.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.drift.DriftConfig;
import io.clpipe.drift.DriftMonitor;
import io.clpipe.drift.MonitorState;
import io.clpipe.drift.PageHinkleyState;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamStateSerdeTest {

    @Test
    void aStateWithLiveDetectorsRoundTrips() {
        DriftConfig config = DriftConfig.defaults();
        DriftMonitor monitor = new DriftMonitor(config, DriftMonitor.statisticOf(config), MonitorState.EMPTY);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 777; i++) {
            List<Float> x = new ArrayList<>();
            for (int d = 0; d < 16; d++) {
                x.add((float) random.nextDouble());
            }
            monitor.observe(random.nextInt(10), x, null);
        }
        StreamState state = new StreamState(16, "segment-3", 3, monitor.state(), null);
        StreamState back = StreamStateSerde.read(StreamStateSerde.write(state));
        assertThat(back).isEqualTo(state);
        assertThat(back.drift().features()).hasSize(4);
        assertThat(back.drift().seen()).isEqualTo(777);
    }

    @Test
    void aStateWithAUserTaskRoundTrips() {
        StreamState state = new StreamState(8, "shifted", 2, MonitorState.EMPTY, "shifted");
        assertThat(StreamStateSerde.read(StreamStateSerde.write(state))).isEqualTo(state);
        assertThat(StreamStateSerde.read(StreamStateSerde.write(StreamState.NEW))).isEqualTo(StreamState.NEW);
    }

    @Test
    void aVersionOneStateKeepsItsPageHinkleyStateAndStartsTheOtherDetectorsEmpty() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeInt(784);
            out.writeBoolean(true);
            out.writeUTF("segment-2");
            out.writeLong(2);
            out.writeLong(40);
            out.writeDouble(0.5);
            out.writeDouble(1);
            out.writeDouble(-1);
            out.writeDouble(2);
            out.writeDouble(-2);
        }
        StreamState state = StreamStateSerde.read(bytes.toByteArray());
        assertThat(state.dimension()).isEqualTo(784);
        assertThat(state.segment()).isEqualTo(2);
        assertThat(state.drift().labelPageHinkley()).isEqualTo(new PageHinkleyState(40, 0.5, 1, -1, 2, -2));
        assertThat(state.drift().features()).isEmpty();
        assertThat(state.userTask()).isNull();
    }
}
