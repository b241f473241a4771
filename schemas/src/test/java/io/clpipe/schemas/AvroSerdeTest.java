package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import io.clpipe.schemas.avro.IterationMetrics;
import io.clpipe.schemas.avro.MetricDirection;
import io.clpipe.schemas.avro.ModelSnapshot;
import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import io.clpipe.schemas.avro.TaskMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    @Test
    void sampleRoundTripKeepsEveryField() {
        Sample sample = new Sample("mnist", "t2", Features.of(0.5f, -1.25f, 3e-7f), null, 7, Split.EVAL,
                "clpipe.samples:0:42", 1_700_000_000_123L, 1_700_000_000_456L);

        Sample back = roundTrip(AvroSerde.sample(), sample);

        assertThat(back.getStream()).isEqualTo("mnist");
        assertThat(back.getTask()).isEqualTo("t2");
        assertThat(Features.toArray(back.getFeatures())).containsExactly(0.5f, -1.25f, 3e-7f);
        assertThat(back.getText()).isNull();
        assertThat(back.getLabel()).isEqualTo(7);
        assertThat(back.getSplit()).isEqualTo(Split.EVAL);
        assertThat(back.getSampleId()).isEqualTo("clpipe.samples:0:42");
        assertThat(back.getEventTime()).isEqualTo(1_700_000_000_123L);
        assertThat(back.getIngestTime()).isEqualTo(1_700_000_000_456L);
        assertThat(back).isEqualTo(sample);
    }

    @Test
    void taskFreeTextSampleKeepsItsNulls() {
        Sample sample = Sample.newBuilder().setStream("lm").setText("Grüße\n").build();

        Sample back = roundTrip(AvroSerde.sample(), sample);

        assertThat(back.getText()).isEqualTo("Grüße\n");
        assertThat(back.getTask()).isNull();
        assertThat(back.getFeatures()).isNull();
        assertThat(back.getLabel()).isNull();
        assertThat(back.getSplit()).isNull();
        assertThat(back.getEventTime()).isNull();
        assertThat(back.getSampleId()).isEmpty();
        assertThat(back.getIngestTime()).isZero();
    }

    @Test
    void controlEventRoundTripKeepsEveryField() {
        ControlEvent event = new ControlEvent("mnist", ControlType.TASK_START, "t3", "t2", 1200L,
                "task label changed", "ingest", 1_700_000_000_000L);

        ControlEvent back = roundTrip(AvroSerde.controlEvent(), event);

        assertThat(back.getStream()).isEqualTo("mnist");
        assertThat(back.getType()).isEqualTo(ControlType.TASK_START);
        assertThat(back.getTask()).isEqualTo("t3");
        assertThat(back.getPreviousTask()).isEqualTo("t2");
        assertThat(back.getIteration()).isEqualTo(1200L);
        assertThat(back.getReason()).isEqualTo("task label changed");
        assertThat(back.getSource()).isEqualTo("ingest");
        assertThat(back.getTimestamp()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void modelSnapshotRoundTripKeepsEveryField() {
        float[] parameters = new float[478_410];
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = (float) Math.sin(i) * 0.05f;
        }
        ModelSnapshot snapshot = ParameterBytes.setParameters(ModelSnapshot.newBuilder(), parameters)
                .setStream("mnist").setVersion(2350L).setTask("t1").setSeenTasks(List.of("t0", "t1"))
                .setLearningRate(0.01).setLoss(0.125).setModelSpec("{\"type\":\"mlp\",\"layers\":[784,400,400,10]}")
                .setTimestamp(1_700_000_000_999L).build();

        byte[] bytes = AvroSerde.modelSnapshot().serialize(snapshot);
        ModelSnapshot back = AvroSerde.modelSnapshot().deserialize(bytes);

        assertThat(bytes.length).isBetween(parameters.length * 4, parameters.length * 4 + 200);
        assertThat(back.getStream()).isEqualTo("mnist");
        assertThat(back.getVersion()).isEqualTo(2350L);
        assertThat(back.getTask()).isEqualTo("t1");
        assertThat(back.getSeenTasks()).containsExactly("t0", "t1");
        assertThat(back.getLearningRate()).isEqualTo(0.01);
        assertThat(back.getLoss()).isEqualTo(0.125);
        assertThat(back.getModelSpec()).isEqualTo("{\"type\":\"mlp\",\"layers\":[784,400,400,10]}");
        assertThat(back.getParameterCount()).isEqualTo(parameters.length);
        assertThat(back.getParametersCrc32c()).isEqualTo(snapshot.getParametersCrc32c());
        assertThat(back.getTimestamp()).isEqualTo(1_700_000_000_999L);
        assertThat(ParameterBytes.verifiedParameters(back)).isEqualTo(parameters);
    }

    @Test
    void iterationMetricsRoundTripKeepsEveryField() {
        Map<String, TaskMetrics> tasks = new LinkedHashMap<>();
        tasks.put("t0", new TaskMetrics(0.42, 1.5, 1000L));
        tasks.put("t1", new TaskMetrics(null, 0.2, 500L));
        IterationMetrics metrics = new IterationMetrics("mnist", 2351L, "t1", tasks,
                Map.of(MetricKeys.ACC, 0.7, MetricKeys.MIN_ACC, Double.NaN), MetricDirection.HIGHER_IS_BETTER, 42L, null, null);

        IterationMetrics back = roundTrip(AvroSerde.iterationMetrics(), metrics);

        assertThat(back.getStream()).isEqualTo("mnist");
        assertThat(back.getIteration()).isEqualTo(2351L);
        assertThat(back.getTask()).isEqualTo("t1");
        assertThat(back.getTasks()).containsOnlyKeys("t0", "t1");
        assertThat(back.getTasks().get("t0")).isEqualTo(new TaskMetrics(0.42, 1.5, 1000L));
        assertThat(back.getTasks().get("t1").getAccuracy()).isNull();
        assertThat(back.getTasks().get("t1").getLoss()).isEqualTo(0.2);
        assertThat(back.getAggregates()).containsEntry(MetricKeys.ACC, 0.7);
        assertThat(back.getAggregates().get(MetricKeys.MIN_ACC)).isNaN();
        assertThat(back.getDirection()).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(back.getTimestamp()).isEqualTo(42L);
    }

    @Test
    void valuesStartWithTheFormatVersion() {
        byte[] bytes = AvroSerde.controlEvent().serialize(event());

        assertThat(bytes[0]).isEqualTo(AvroSerde.V1);
        assertThat(AvroSerde.controlEvent().recognises(bytes)).isTrue();
        assertThat(AvroSerde.controlEvent().recognises("{}".getBytes())).isFalse();
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(AvroSerde.sample().serialize(null)).isNull();
        assertThat(AvroSerde.sample().deserialize(null)).isNull();
    }

    @Test
    void recordsWrittenWithAnOlderSchemaAreResolvedToTheCurrentOne() throws IOException {
        // Pretend ControlEvent v1 had no 'source' and 'reason' fields, and the compiled schema is v2.
        Schema old = new Schema.Parser().parse("""
                {"type":"record","name":"ControlEvent","namespace":"io.clpipe.schemas.avro","fields":[
                  {"name":"stream","type":"string"},
                  {"name":"type","type":{"type":"enum","name":"ControlType","symbols":["TASK_START","ROLLBACK"]}},
                  {"name":"task","type":["null","string"],"default":null},
                  {"name":"previousTask","type":["null","string"],"default":null},
                  {"name":"iteration","type":["null","long"],"default":null},
                  {"name":"timestamp","type":"long"}]}""");
        GenericRecord v1 = new GenericData.Record(old);
        v1.put("stream", "mnist");
        v1.put("type", new GenericData.EnumSymbol(old.getField("type").schema(), "ROLLBACK"));
        v1.put("iteration", 77L);
        v1.put("timestamp", 5L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(old).write(v1, encoder);
        encoder.flush();
        AvroSerde<ControlEvent> v2 = new AvroSerde<>(ControlEvent.getClassSchema(), (byte) 2, Map.of((byte) 1, old));

        ControlEvent back = v2.deserialize(out.toByteArray());

        assertThat(back.getStream()).isEqualTo("mnist");
        assertThat(back.getType()).isEqualTo(ControlType.ROLLBACK);
        assertThat(back.getIteration()).isEqualTo(77L);
        assertThat(back.getReason()).isNull();
        assertThat(back.getSource()).isNull();
        assertThat(back.getTimestamp()).isEqualTo(5L);
        assertThat(v2.serialize(back)[0]).isEqualTo((byte) 2);
        assertThatThrownBy(() -> AvroSerde.controlEvent().deserialize(v2.serialize(back)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("format version 2 is newer than this build reads [1]");
    }

    @Test
    void confluentFramingIsExplained() {
        byte[] confluent = {0, 0, 0, 0, 7, 10, 'm', 'n', 'i', 's', 't'};

        assertThatThrownBy(() -> AvroSerde.sample().deserialize(confluent))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Confluent Schema Registry");
    }

    @Test
    void truncatedAndOverlongValuesAreRejected() {
        byte[] bytes = AvroSerde.controlEvent().serialize(event());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);
        byte[] overlong = Arrays.copyOf(bytes, bytes.length + 2);

        assertThatThrownBy(() -> AvroSerde.controlEvent().deserialize(truncated))
                .isInstanceOf(SerializationException.class).hasMessageContaining("ControlEvent (format v1)");
        assertThatThrownBy(() -> AvroSerde.controlEvent().deserialize(overlong))
                .isInstanceOf(SerializationException.class).hasMessageContaining("trailing bytes");
    }

    @Test
    void aHugeDeclaredArrayLengthFailsWithoutAllocatingIt() {
        // v1, stream "s", task null, features branch 1, then an array block count of ~2^31 floats
        byte[] hostile = {1, 2, 's', 0, 2, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};

        assertThatThrownBy(() -> AvroSerde.sample().deserialize(hostile)).isInstanceOf(SerializationException.class);
    }

    @Test
    void serdeWorksThroughTheKafkaInterfaces() {
        Serde<ControlEvent> serde = AvroSerde.controlEvent();

        byte[] bytes = serde.serializer().serialize("clpipe.control", event());

        assertThat(serde.deserializer().deserialize("clpipe.control", bytes)).isEqualTo(event());
    }

    private static ControlEvent event() {
        return ControlEvent.newBuilder().setStream("s").setType(ControlType.ANNEAL_REQUEST).setTimestamp(1L).build();
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T roundTrip(AvroSerde<T> serde, T record) {
        return serde.deserialize(serde.serialize(record));
    }
}
