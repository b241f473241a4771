package io.clpipe.schemas;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.clpipe.schemas.avro.Sample;
import io.clpipe.schemas.avro.Split;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SampleValidatorTest {

    private static final long NOW = 1_700_000_000_000L;

    private final ValidationConfig config = ValidationConfig.defaults()
            .withFeatureDim("mnist", 3).withNumClasses(10).withMaxRecordBytes(200).withMaxTextChars(8);
    private final SampleValidator validator = new SampleValidator(config);

    static Stream<Arguments> badRecords() {
        return Stream.of(
                bad("not json at all", RejectReason.UNPARSABLE, null, "malformed JSON"),
                bad("[1,2,3]", RejectReason.UNPARSABLE, null, "expected a JSON object, got an array"),
                bad("{\"stream\":\"mnist\",\"stream\":\"x\",\"text\":\"a\"}", RejectReason.UNPARSABLE, null, "stream"),
                bad("{\"features\":[1,2,3],\"label\":1}", RejectReason.MISSING_FIELD, "stream", "'stream' is missing"),
                bad("{\"stream\":\"mnist\",\"features\":[1,2,3]}", RejectReason.MISSING_FIELD, "label", "'label' is missing"),
                bad("{\"stream\":\"mnist\",\"features\":[1,2,3],\"label\":\"3\"}", RejectReason.WRONG_TYPE, "label",
                        "'label' must be an integer class index, got a string \"3\""),
                bad("{\"stream\":\"mnist\",\"features\":[1,2,3],\"label\":2.5}", RejectReason.WRONG_TYPE, "label",
                        "'label' must be an integer class index, got the number 2.5"),
                bad("{\"stream\":\"mnist\",\"features\":\"1,2,3\",\"label\":1}", RejectReason.WRONG_TYPE, "features",
                        "'features' must be an array of numbers, got a string"),
                bad("{\"stream\":[\"mnist\"],\"text\":\"a\"}", RejectReason.WRONG_TYPE, "stream", "'stream' must be a string, got an array"),
                bad("{\"stream\":\"lm\",\"text\":42}", RejectReason.WRONG_TYPE, "text", "'text' must be a string, got the integer 42"),
                bad("{\"stream\":\"lm\",\"text\":\"a\",\"event_time\":\"yesterday\"}", RejectReason.WRONG_TYPE, "event_time",
                        "'event_time' must be epoch milliseconds or an ISO-8601 instant"),
                bad("{\"stream\":\"mnist\",\"features\":[1,2],\"label\":1}", RejectReason.WRONG_DIMENSION, "features",
                        "'features' has 2 values, stream \"mnist\" expects 3 (configured)"),
                bad("{\"stream\":\"mnist\",\"features\":[1,NaN,3],\"label\":1}", RejectReason.NON_FINITE_FEATURE, "features[1]",
                        "'features[1]' is NaN"),
                bad("{\"stream\":\"mnist\",\"features\":[1,2,Infinity],\"label\":1}", RejectReason.NON_FINITE_FEATURE,
                        "features[2]", "'features[2]' is Infinity"),
                bad("{\"stream\":\"mnist\",\"features\":[],\"label\":1}", RejectReason.EMPTY_FEATURES, "features", "'features' is an empty array"),
                bad("{\"stream\":\"mnist\",\"features\":[1,2,3],\"label\":10}", RejectReason.LABEL_OUT_OF_RANGE, "label",
                        "'label' is 10, outside [0, 10)"),
                bad("{\"stream\":\"mnist\",\"features\":[1,2,3],\"label\":-1}", RejectReason.LABEL_OUT_OF_RANGE, "label", "'label' is -1"),
                bad("{\"stream\":\"mnist\",\"features\":[1,2,3],\"label\":4294967296}", RejectReason.LABEL_OUT_OF_RANGE, "label",
                        "outside the 32-bit integer range"),
                bad("{\"stream\":\"lm\",\"text\":\"\"}", RejectReason.EMPTY_TEXT, "text", "'text' is empty"),
                bad("{\"stream\":\"lm\",\"text\":\"123456789\"}", RejectReason.TEXT_TOO_LONG, "text", "'text' has 9 chars, the limit is 8"),
                bad("{\"stream\":\"lm\",\"label\":1}", RejectReason.NO_FEATURES_OR_TEXT, "features", "neither field 'features' nor field 'text'"),
                bad("{\"stream\":\"lm\",\"text\":\"a\",\"features\":[1,2,3],\"label\":1}", RejectReason.BOTH_FEATURES_AND_TEXT,
                        "features", "both field 'features' and field 'text'"),
                bad("{\"stream\":\"lm\",\"text\":\"a\",\"split\":\"test\"}", RejectReason.UNKNOWN_SPLIT, "split",
                        "'split' must be \"train\" or \"eval\", got \"test\""),
                bad("{\"stream\":\"lm\",\"text\":\"" + "x".repeat(300) + "\"}", RejectReason.OVERSIZED, null,
                        "record is 325 bytes, the limit is 200"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("badRecords")
    void rejectsEachKindOfBadRecordWithItsReasonAndField(String json, RejectReason reason, String field, String message) {
        ValidationResult result = validateJson(null, json);

        assertThat(result).isInstanceOf(Rejection.class);
        Rejection rejection = (Rejection) result;
        assertThat(rejection.reason()).isEqualTo(reason);
        assertThat(rejection.field()).isEqualTo(field);
        assertThat(rejection.message()).contains(message);
        if (field != null) {
            assertThat(rejection.message()).contains("'" + field + "'");
        }
    }

    @Test
    void anEmptyValueIsUnparsable() {
        ValidationResult result = validator.validate(new RawRecord("t", 0, 0, "k", new byte[0]), StreamDimensions.none(), NOW);

        assertThat(((Rejection) result).reason()).isEqualTo(RejectReason.UNPARSABLE);
    }

    @Test
    void aValidJsonSampleIsCompletedFromTheRecord() {
        ValidationResult result = validator.validate(new RawRecord("clpipe.samples", 2, 41, null,
                bytes("{\"stream\":\"mnist\",\"task\":\"t0\",\"features\":[0,0.5,1],\"label\":9}")), StreamDimensions.none(), NOW);

        Sample sample = valid(result).sample();
        assertThat(sample.getStream()).isEqualTo("mnist");
        assertThat(sample.getTask()).isEqualTo("t0");
        assertThat(Features.toArray(sample.getFeatures())).containsExactly(0f, 0.5f, 1f);
        assertThat(sample.getLabel()).isEqualTo(9);
        assertThat(sample.getSampleId()).isEqualTo("clpipe.samples:2:41");
        assertThat(sample.getIngestTime()).isEqualTo(NOW);
        assertThat(valid(result).learnedDimension()).isEmpty(); // configured, nothing to learn
    }

    @Test
    void avroBinaryIsAcceptedOnTheSamplesTopic() {
        Sample sent = Sample.newBuilder().setStream("mnist").setFeatures(Features.of(1, 2, 3)).setLabel(4)
                .setSplit(Split.EVAL).setSampleId("mine").setIngestTime(5L).build();

        ValidationResult result = validator.validate(new RawRecord("clpipe.samples", 0, 7, "mnist",
                AvroSerde.sample().serialize(sent)), StreamDimensions.none(), NOW);

        Sample sample = valid(result).sample();
        assertThat(Features.toArray(sample.getFeatures())).containsExactly(1f, 2f, 3f);
        assertThat(sample.getLabel()).isEqualTo(4);
        assertThat(sample.getSplit()).isEqualTo(Split.EVAL);
        assertThat(sample.getSampleId()).isEqualTo("mine");
        assertThat(sample.getIngestTime()).isEqualTo(NOW);
    }

    @Test
    void avroSamplesGetTheSameValueChecks() {
        Sample bad = Sample.newBuilder().setStream("mnist").setFeatures(Features.of(1, Float.NaN, 3)).setLabel(4).build();

        ValidationResult result = validator.validate(new RawRecord("clpipe.samples", 0, 7, null,
                AvroSerde.sample().serialize(bad)), StreamDimensions.none(), NOW);

        assertThat(((Rejection) result).reason()).isEqualTo(RejectReason.NON_FINITE_FEATURE);
        assertThat(((Rejection) result).field()).isEqualTo("features[1]");
    }

    @Test
    void corruptAvroIsUnparsable() {
        byte[] avro = AvroSerde.sample().serialize(Sample.newBuilder().setStream("lm").setText("abc").build());
        byte[] truncated = java.util.Arrays.copyOf(avro, avro.length - 2);

        ValidationResult result = validator.validate(new RawRecord("clpipe.samples", 0, 7, null, truncated),
                StreamDimensions.none(), NOW);

        assertThat(((Rejection) result).reason()).isEqualTo(RejectReason.UNPARSABLE);
        assertThat(((Rejection) result).message()).contains("Sample (format v1)");
    }

    @Test
    void theRecordKeyNamesTheStreamWhenTheValueDoesNot() {
        ValidationResult ok = validateJson("lm", "{\"text\":\"abc\"}");
        ValidationResult clash = validateJson("other", "{\"stream\":\"lm\",\"text\":\"abc\"}");

        assertThat(valid(ok).sample().getStream()).isEqualTo("lm");
        assertThat(((Rejection) clash).reason()).isEqualTo(RejectReason.KEY_MISMATCH);
        assertThat(((Rejection) clash).message()).contains("'stream' is \"lm\" but the record key is \"other\"");
    }

    @Test
    void aStreamsFirstValidSampleFixesItsDimension() {
        InMemoryStreamDimensions dims = new InMemoryStreamDimensions();
        SampleValidator learning = new SampleValidator(ValidationConfig.defaults());

        ValidationResult badFirst = learning.validate(json("s", "{\"features\":[1,NaN],\"label\":0}"), dims, NOW);
        dims.record(badFirst);
        ValidationResult first = learning.validate(json("s", "{\"features\":[1,2,3,4],\"label\":0}"), dims, NOW);
        dims.record(first);
        ValidationResult second = learning.validate(json("s", "{\"features\":[1,2,3,4],\"label\":1}"), dims, NOW);
        ValidationResult wrong = learning.validate(json("s", "{\"features\":[1,2],\"label\":1}"), dims, NOW);
        ValidationResult otherStream = learning.validate(json("t", "{\"features\":[1,2],\"label\":1}"), dims, NOW);

        assertThat(((Rejection) badFirst).reason()).isEqualTo(RejectReason.NON_FINITE_FEATURE);
        assertThat(valid(first).learnedDimension()).isEqualTo(OptionalInt.of(4));
        assertThat(dims.dimension("s")).isEqualTo(OptionalInt.of(4));
        assertThat(valid(second).learnedDimension()).isEmpty();
        assertThat(((Rejection) wrong).reason()).isEqualTo(RejectReason.WRONG_DIMENSION);
        assertThat(((Rejection) wrong).message()).contains("expects 4 (fixed by its first sample)");
        assertThat(valid(otherStream).learnedDimension()).isEqualTo(OptionalInt.of(2));
    }

    @Test
    void aDefaultDimensionAppliesToStreamsWithoutTheirOwn() {
        SampleValidator v = new SampleValidator(ValidationConfig.defaults().withDefaultFeatureDim(2).withFeatureDim("wide", 3));

        assertThat(v.validate(json("any", "{\"features\":[1,2],\"label\":0}"), StreamDimensions.none(), NOW))
                .isInstanceOf(ValidationResult.Valid.class);
        assertThat(v.validate(json("any", "{\"features\":[1,2,3],\"label\":0}"), StreamDimensions.none(), NOW))
                .isInstanceOf(Rejection.class);
        assertThat(v.validate(json("wide", "{\"features\":[1,2,3],\"label\":0}"), StreamDimensions.none(), NOW))
                .isInstanceOf(ValidationResult.Valid.class);
    }

    @Test
    void dlqHeadersCarryTheReasonAndTheSource() {
        RawRecord record = json(null, "{\"stream\":\"mnist\",\"features\":[1,2,3],\"label\":11}");
        Rejection rejection = (Rejection) validator.validate(record, StreamDimensions.none(), NOW);

        var headers = DlqHeaders.of(rejection, record);

        assertThat(header(headers, DlqHeaders.REASON_CODE)).isEqualTo("LABEL_OUT_OF_RANGE");
        assertThat(header(headers, DlqHeaders.REASON)).isEqualTo(rejection.message());
        assertThat(header(headers, DlqHeaders.FIELD)).isEqualTo("label");
        assertThat(header(headers, DlqHeaders.SOURCE_TOPIC)).isEqualTo("clpipe.samples");
        assertThat(header(headers, DlqHeaders.SOURCE_PARTITION)).isEqualTo("1");
        assertThat(header(headers, DlqHeaders.SOURCE_OFFSET)).isEqualTo("99");
    }

    private ValidationResult validateJson(String key, String json) {
        return validator.validate(json(key, json), StreamDimensions.none(), NOW);
    }

    private static RawRecord json(String key, String json) {
        return new RawRecord("clpipe.samples", 1, 99, key, bytes(json));
    }

    private static ValidationResult.Valid valid(ValidationResult result) {
        assertThat(result).isInstanceOf(ValidationResult.Valid.class);
        return (ValidationResult.Valid) result;
    }

    private static String header(org.apache.kafka.common.header.Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static Arguments bad(String json, RejectReason reason, String field, String message) {
        return Arguments.of(json, reason, field, message);
    }
}
