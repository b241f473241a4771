package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.schemas.avro.ModelSnapshot;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ParameterBytesTest {

    @Test
    void encodesFloat32LittleEndian() {
        ByteBuffer bytes = ParameterBytes.encode(new float[] {1.0f, -2.5f});

        // 1.0f = 0x3F800000, -2.5f = 0xC0200000, least significant byte first
        assertThat(bytes.array()).containsExactly(0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0);
        assertThat(ParameterBytes.decode(bytes)).containsExactly(1.0f, -2.5f);
        assertThat(bytes.position()).isZero();
    }

    @Test
    void crc32cMatchesTheKnownCheckValue() {
        // CRC-32C of ASCII "123456789" is 0xE3069283 (RFC 3720)
        assertThat(ParameterBytes.crc32c(ByteBuffer.wrap("123456789".getBytes()))).isEqualTo(0xE3069283L);
    }

    @Test
    void aCorruptedSnapshotIsRefused() {
        ModelSnapshot snapshot = snapshot(new float[] {0.1f, 0.2f, 0.3f});
        snapshot.getParameters().put(5, (byte) (snapshot.getParameters().get(5) ^ 1));

        assertThatThrownBy(() -> ParameterBytes.verifiedParameters(snapshot))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("snapshot s v3: parameter CRC-32C");
    }

    @Test
    void aCountMismatchIsRefused() {
        ModelSnapshot snapshot = snapshot(new float[] {0.1f, 0.2f});
        snapshot.setParameterCount(3L);

        assertThatThrownBy(() -> ParameterBytes.verifiedParameters(snapshot))
                .hasMessageContaining("8 parameter bytes, expected 3 float32 values");
    }

    private static ModelSnapshot snapshot(float[] parameters) {
        return ParameterBytes.setParameters(ModelSnapshot.newBuilder(), parameters).setStream("s").setVersion(3L)
                .setLearningRate(0.1).setLoss(1).setModelSpec("{}").setTimestamp(0L).build();
    }
}
