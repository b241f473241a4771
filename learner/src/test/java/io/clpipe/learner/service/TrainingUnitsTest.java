package io.clpipe.learner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.learner.engine.Sample;
import io.clpipe.models.ModelSpec;
import io.clpipe.schemas.Features;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingUnitsTest {

    @Test
    void aTextRecordPredictsEachUtf8ByteFromTheBytesBeforeIt() {
        TrainingUnits units = new TrainingUnits(new ModelSpec.ByteLm(3, 4, new int[] {8}, 16));
        io.clpipe.schemas.avro.Sample record = io.clpipe.schemas.avro.Sample.newBuilder().setStream("s").setText("hé!").build();
        units.check(record);
        List<Sample> out = units.of(record, 2);
        // UTF-8: h=0x68, é=0xC3 0xA9, !=0x21
        assertThat(out).hasSize(4);
        assertThat(out).extracting(Sample::label).containsExactly(0x68, 0xC3, 0xA9, 0x21);
        assertThat(out).extracting(Sample::task).containsOnly(2);
        assertThat(((Sample.Bytes) out.get(0)).window()).containsExactly(0, 0, 0);
        assertThat(((Sample.Bytes) out.get(2)).window()).containsExactly(0, 0x68, (byte) 0xC3);
        assertThat(((Sample.Bytes) out.get(3)).window()).containsExactly(0x68, (byte) 0xC3, (byte) 0xA9);
    }

    @Test
    void aByteTransformerTakesOneWindowPerContextSoEachByteIsATargetOnce() {
        ModelSpec spec = new ModelSpec.ByteTransformer(3, 4, 2, 1, 16);
        TrainingUnits units = new TrainingUnits(spec);
        io.clpipe.schemas.avro.Sample record = io.clpipe.schemas.avro.Sample.newBuilder().setStream("s").setText("abcdefgh").build();
        units.check(record);
        List<Sample> out = units.of(record, 1);
        assertThat(out).hasSize(TextUnits.count(spec, 8)).hasSize(3);
        // windows end every 3 bytes (labels c, f), the last one at the text's end (h)
        assertThat(out).extracting(Sample::label).containsExactly((int) 'c', (int) 'f', (int) 'h');
        assertThat(((Sample.Bytes) out.get(0)).window()).containsExactly(0, 'a', 'b');
        assertThat(((Sample.Bytes) out.get(1)).window()).containsExactly('c', 'd', 'e');
        assertThat(((Sample.Bytes) out.get(2)).window()).containsExactly('e', 'f', 'g');
        assertThat(TextUnits.count(spec, 9)).isEqualTo(3);
        assertThat(TextUnits.count(new ModelSpec.ByteLm(3, 4, new int[] {8}, 16), 9)).isEqualTo(9);
    }

    @Test
    void recordsThatDoNotFitTheModelAreRefusedWithTheReason() {
        TrainingUnits mlp = new TrainingUnits(new ModelSpec.Mlp(2, new int[0], 3, 8));
        var base = io.clpipe.schemas.avro.Sample.newBuilder().setStream("s").setFeatures(Features.of(1f, 2f)).setLabel(2);
        mlp.check(base.build());
        assertThat(mlp.of(base.build(), 0)).singleElement().satisfies(s -> assertThat(s.label()).isEqualTo(2));
        assertThatThrownBy(() -> mlp.check(base.setLabel(3).build())).hasMessageContaining("label 3");
        assertThatThrownBy(() -> mlp.check(base.setLabel(1).setFeatures(Features.of(1f)).build()))
                .hasMessageContaining("1 features, the model takes 2");
        assertThatThrownBy(() -> mlp.check(io.clpipe.schemas.avro.Sample.newBuilder().setStream("s").setText("x").build()))
                .hasMessageContaining("features and a label");
        TrainingUnits lm = new TrainingUnits(new ModelSpec.ByteLm(3, 4, new int[] {8}, 16));
        assertThatThrownBy(() -> lm.check(base.build())).hasMessageContaining("needs text");
    }
}
