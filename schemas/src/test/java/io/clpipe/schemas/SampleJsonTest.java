package io.clpipe.schemas;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import org.junit.jupiter.api.Test;

class SampleJsonTest {

    @Test
    void parsesEverySnakeCaseField() {
        Sample s = parse("""
                {"stream":"mnist","task":"t1","features":[0.25,-1,3.5e-3],"label":3,"split":"eval",
                 "sample_id":"img-17","event_time":1700000000123,"ingest_time":1700000000456}""");

        assertThat(s.getStream()).isEqualTo("mnist");
        assertThat(s.getTask()).isEqualTo("t1");
        assertThat(Features.toArray(s.getFeatures())).containsExactly(0.25f, -1f, 3.5e-3f);
        assertThat(s.getText()).isNull();
        assertThat(s.getLabel()).isEqualTo(3);
        assertThat(s.getSplit()).isEqualTo(Split.EVAL);
        assertThat(s.getSampleId()).isEqualTo("img-17");
        assertThat(s.getEventTime()).isEqualTo(1_700_000_000_123L);
        assertThat(s.getIngestTime()).isEqualTo(1_700_000_000_456L);
    }

    @Test
    void absentFieldsComeBackEmptyForTheValidatorToFill() {
        Sample s = parse("{\"text\":\"hello\"}");

        assertThat(s.getStream()).isEmpty();
        assertThat(s.getSampleId()).isEmpty();
        assertThat(s.getIngestTime()).isZero();
        assertThat(s.getTask()).isNull();
        assertThat(s.getFeatures()).isNull();
        assertThat(s.getLabel()).isNull();
        assertThat(s.getSplit()).isNull();
        assertThat(s.getEventTime()).isNull();
        assertThat(s.getText()).isEqualTo("hello");
    }

    @Test
    void writesSnakeCaseAndLeavesOutWhatIsAbsent() {
        Sample s = new Sample("mnist", "t1", Features.of(0.1f, 2f), null, 4, Split.TRAIN, "id-1", 17L, 99L);

        assertThat(new String(SampleJson.write(s), UTF_8)).isEqualTo(
                "{\"stream\":\"mnist\",\"task\":\"t1\",\"features\":[0.1,2.0],\"label\":4,\"split\":\"train\","
                        + "\"sample_id\":\"id-1\",\"event_time\":17,\"ingest_time\":99}");
        assertThat(new String(SampleJson.write(Sample.newBuilder().setStream("lm").setText("a\"b").build()), UTF_8))
                .isEqualTo("{\"stream\":\"lm\",\"text\":\"a\\\"b\"}");
    }

    @Test
    void sampleToJsonAndBackIsTheSameSample() {
        Sample s = new Sample("mnist", null, Features.of(1e-30f, -0f, 123456.78f, Float.MIN_VALUE), null, 0, null,
                "x", null, 5L);

        assertThat(SampleJson.parse(SampleJson.write(s))).isEqualTo(s);
    }

    @Test
    void acceptsWhatUsersNaturallyWrite() {
        Sample s = parse("""
                {"stream":7,"task":2,"features":[1],"label":3.0,"split":"TRAIN",
                 "event_time":"2024-05-01T12:00:00Z","unknown":{"nested":[1,2]},"sample_id":""}""");

        assertThat(s.getStream()).isEqualTo("7");
        assertThat(s.getTask()).isEqualTo("2");
        assertThat(s.getLabel()).isEqualTo(3);
        assertThat(s.getSplit()).isEqualTo(Split.TRAIN);
        assertThat(s.getEventTime()).isEqualTo(1_714_564_800_000L);
        assertThat(s.getSampleId()).isEmpty();
    }

    @Test
    void nonFiniteTokensParseSoTheValidatorCanNameTheIndex() {
        Sample s = parse("{\"features\":[1, NaN, -Infinity, 1e39]}");

        assertThat(Features.toArray(s.getFeatures())).containsExactly(1f, Float.NaN, Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY);
    }

    @Test
    void malformedJsonIsUnparsableEvenAfterATypeError() {
        assertThatThrownBy(() -> parse("{\"label\":\"x\", \"text\": "))
                .isInstanceOfSatisfying(InvalidSampleException.class,
                        e -> assertThat(e.rejection().reason()).isEqualTo(RejectReason.UNPARSABLE));
    }

    @Test
    void theFirstTypeProblemIsReported() {
        assertThatThrownBy(() -> parse("{\"features\":[1,\"2\",null],\"label\":true}"))
                .isInstanceOfSatisfying(InvalidSampleException.class, e -> {
                    assertThat(e.rejection().reason()).isEqualTo(RejectReason.WRONG_TYPE);
                    assertThat(e.rejection().field()).isEqualTo("features[1]");
                    assertThat(e.rejection().message()).isEqualTo("field 'features[1]' must be a number, got a string \"2\"");
                });
    }

    @Test
    void anIngestTimeOfTheWrongTypeIsAWrongTypeNotACrash() {
        // was a NullPointerException (the problem's null unboxed to long)
        for (String value : new String[] {"1.5", "\"soon\"", "true"}) {
            assertThatThrownBy(() -> parse("{\"text\":\"x\",\"ingest_time\":" + value + "}"))
                    .isInstanceOfSatisfying(InvalidSampleException.class, e -> {
                        assertThat(e.rejection().reason()).isEqualTo(RejectReason.WRONG_TYPE);
                        assertThat(e.rejection().field()).isEqualTo("ingest_time");
                    });
        }
    }

    @Test
    void serdeUsesTheSameMapping() {
        Sample s = Sample.newBuilder().setStream("lm").setText("abc").build();
        var serde = SampleJson.serde();

        byte[] bytes = serde.serializer().serialize("clpipe.samples", s);

        assertThat(bytes).isEqualTo(SampleJson.write(s));
        assertThat(serde.deserializer().deserialize("clpipe.samples", bytes)).isEqualTo(s);
        assertThat(serde.deserializer().deserialize("clpipe.samples", null)).isNull();
    }

    private static Sample parse(String json) {
        return SampleJson.parse(json.getBytes(UTF_8));
    }
}
