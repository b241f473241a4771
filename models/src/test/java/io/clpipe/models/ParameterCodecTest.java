package io.clpipe.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParameterCodecTest {

    @Test
    void encodesLittleEndianFloat32() {
        assertThat(ParameterCodec.toBytes(new float[] {1.0f, -2.5f}))
                .containsExactly(0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0);
        assertThat(ParameterCodec.sha256(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void modelParametersRoundTripBitExactlyThroughBytes() {
        ModelSpec spec = new ModelSpec.ByteLm(3, 4, new int[] {8}, 4);
        try (Model source = Models.create(spec, 1); Model target = Models.create(spec, 2)) {
            float[] values = source.parametersToArray();
            values[0] = Float.NaN;
            values[1] = Float.MIN_VALUE;
            values[2] = -0.0f;
            ParameterCodec.Encoded encoded = ParameterCodec.encode(values);
            assertThat(encoded.bytes()).hasSize(values.length * 4);

            target.loadParameters(ParameterCodec.decode(encoded.bytes(), encoded.sha256()));
            float[] back = target.parametersToArray();
            for (int i = 0; i < values.length; i++) {
                assertThat(Float.floatToRawIntBits(back[i])).isEqualTo(Float.floatToRawIntBits(values[i]));
            }
        }
    }

    @Test
    void corruptBytesAreRefused() {
        ParameterCodec.Encoded encoded = ParameterCodec.encode(new float[] {1, 2, 3});
        encoded.bytes()[5] ^= 1;
        assertThatThrownBy(() -> ParameterCodec.decode(encoded.bytes(), encoded.sha256())).hasMessageContaining("corrupt");
        assertThatThrownBy(() -> ParameterCodec.fromBytes(new byte[7])).hasMessageContaining("multiple of 4");
    }

    @Test
    void loadingTheWrongLengthIsRefused() {
        try (Model model = Models.create(new ModelSpec.Mlp(2, new int[] {2}, 2, 2), 1)) {
            assertThatThrownBy(() -> model.loadParameters(new float[3])).hasMessageContaining("expected");
        }
    }
}
