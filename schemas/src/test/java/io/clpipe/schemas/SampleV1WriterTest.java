package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The hand-written Sample writer must write exactly the bytes Avro's writer writes, and refuse what it refuses. */
class SampleV1WriterTest {

    private final AvroSerde<Sample> direct = AvroSerde.sample();
    private final AvroSerde<Sample> avro = AvroSerde.sampleWithAvroReader();

    @Test
    void theSampleSerdeEncodesDirectly() {
        assertThat(direct.writesDirectly()).as("Sample.avsc changed: update SampleV1Writer with SampleV1Reader").isTrue();
        assertThat(avro.writesDirectly()).isFalse();
    }

    @Property(tries = 500)
    void writesTheBytesAvroWrites(@ForAll("samples") Sample sample) {
        assertThat(direct.serialize(sample)).isEqualTo(avro.serialize(sample));
    }

    @Test
    void everyFeatureListKindIsWrittenAlike() {
        float[] values = {0f, -0f, 1.5f, Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.MIN_VALUE, -Float.MAX_VALUE};
        List<Float> boxed = new ArrayList<>();
        for (float v : values) {
            boxed.add(v);
        }
        Sample primitive = new Sample("s", null, Features.of(values), null, 1, null, "id", null, 0L);
        Sample packed = direct.deserialize(avro.serialize(primitive));
        Sample plain = new Sample("s", null, boxed, null, 1, null, "id", null, 0L);

        assertThat(packed.getFeatures()).isInstanceOf(PackedFloats.class);
        assertThat(direct.serialize(packed)).isEqualTo(avro.serialize(primitive))
                .isEqualTo(direct.serialize(primitive)).isEqualTo(direct.serialize(plain)).isEqualTo(avro.serialize(plain));
    }

    @Test
    void aMissingRequiredFieldIsRefusedAsAvroRefusesIt() {
        Sample noStream = new Sample(null, null, Features.of(1f), null, 1, null, "id", null, 0L);
        Sample noId = new Sample("s", null, Features.of(1f), null, 1, null, null, null, 0L);

        for (Sample bad : List.of(noStream, noId)) {
            assertThatThrownBy(() -> avro.serialize(bad)).isInstanceOf(SerializationException.class);
            assertThatThrownBy(() -> direct.serialize(bad)).isInstanceOf(SerializationException.class);
        }
    }

    @Provide
    Arbitrary<Sample> samples() {
        // any code points, unpaired surrogates included (both writers turn them into '?')
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(20);
        Arbitrary<float[]> floats = Arbitraries.floats().list().ofMaxSize(200).map(list -> {
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = list.get(i);
            }
            return out;
        });
        return Builders.withBuilder(Sample::newBuilder)
                .use(text).in(Sample.Builder::setStream)
                .use(text.injectNull(0.3)).in(Sample.Builder::setTask)
                .use(floats.injectNull(0.3)).in((b, f) -> b.setFeatures(f == null ? null : Features.of(f)))
                .use(text.injectNull(0.5)).in(Sample.Builder::setText)
                .use(Arbitraries.integers().injectNull(0.3)).in(Sample.Builder::setLabel)
                .use(Arbitraries.of(Split.class).injectNull(0.3)).in(Sample.Builder::setSplit)
                .use(text).in(Sample.Builder::setSampleId)
                .use(Arbitraries.longs().injectNull(0.3)).in(Sample.Builder::setEventTime)
                .use(Arbitraries.longs()).in(Sample.Builder::setIngestTime)
                .build(Sample.Builder::build);
    }
}
