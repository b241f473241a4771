package io.clpipe.ingest.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.ingest.drift.PageHinkleyState;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class StreamStateSerdeTest {

    @Test
    void aStateWithAUserTaskRoundTrips() {
        StreamState state = new StreamState(8, "shifted", 2, new PageHinkleyState(10, 0.5, 1, 0, 2, 0), "shifted");
        assertThat(StreamStateSerde.read(StreamStateSerde.write(state))).isEqualTo(state);
        assertThat(StreamStateSerde.read(StreamStateSerde.write(StreamState.NEW))).isEqualTo(StreamState.NEW);
    }

    @Test
    void aVersion1StateFromAnOlderIngestIsStillRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeInt(784);
            out.writeBoolean(true);
            out.writeUTF("0-1");
            out.writeLong(0);
            out.writeLong(0);
            for (int i = 0; i < 5; i++) {
                out.writeDouble(0);
            }
        }
        assertThat(StreamStateSerde.read(bytes.toByteArray()))
                .isEqualTo(new StreamState(784, "0-1", 0, new PageHinkleyState(0, 0, 0, 0, 0, 0), null));
    }
}
