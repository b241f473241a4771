package io.clpipe.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelSpecCodecTest {

    @Test
    void roundTripsBothKinds() {
        ModelSpec mlp = new ModelSpec.Mlp(784, new int[] {400, 400}, 10, 512);
        assertThat(ModelSpecCodec.encode(mlp)).isEqualTo("mlp in=784 hidden=400,400 classes=10 batch=512");
        ModelSpec back = ModelSpecCodec.decode(ModelSpecCodec.encode(mlp));
        assertThat(back.toString()).isEqualTo(mlp.toString());
        assertThat(back.maxBatch()).isEqualTo(512);
        ModelSpec lm = new ModelSpec.ByteLm(32, 16, new int[] {512}, 256);
        ModelSpec.ByteLm lmBack = (ModelSpec.ByteLm) ModelSpecCodec.decode(ModelSpecCodec.encode(lm));
        assertThat(lmBack.context()).isEqualTo(32);
        assertThat(lmBack.embedDim()).isEqualTo(16);
        assertThat(lmBack.hidden()).containsExactly(512);
        ModelSpec transformer = new ModelSpec.ByteTransformer(128, 128, 4, 2, 16);
        assertThat(ModelSpecCodec.encode(transformer)).isEqualTo("byte-transformer ctx=128 d=128 heads=4 layers=2 batch=16");
        assertThat(ModelSpecCodec.decode(ModelSpecCodec.encode(transformer))).isEqualTo(transformer);
    }

    @Test
    void refusesMalformedText() {
        assertThatThrownBy(() -> ModelSpecCodec.decode("cnn in=3")).hasMessageContaining("unknown model kind");
        assertThatThrownBy(() -> ModelSpecCodec.decode("mlp in=784 classes=10 batch=4")).hasMessageContaining("no hidden=");
        assertThatThrownBy(() -> ModelSpecCodec.decode("mlp in=x hidden=4 classes=10 batch=4")).isInstanceOf(IllegalArgumentException.class);
    }
}
