package io.clpipe.predictor.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.predictor.engine.Query;
import io.clpipe.schemas.AvroSerde;
import io.clpipe.schemas.InvalidSampleException;
import io.clpipe.schemas.RejectReason;
import io.clpipe.schemas.Topics;
import io.clpipe.schemas.avro.PredictionRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestDecoderTest {

    private final RequestDecoder decoder = new RequestDecoder(PredictorServiceConfig.defaults(Topics.defaults()));

    private Request json(String key, String text) {
        return decoder.decode(key, text.getBytes(StandardCharsets.UTF_8));
    }

    private RejectReason reason(String key, String text) {
        try {
            json(key, text);
        } catch (InvalidSampleException e) {
            return e.rejection().reason();
        }
        throw new AssertionError("accepted: " + text);
    }

    @Test
    void jsonAndAvroRequestsDecode() {
        Request f = json("d", "{\"id\":7,\"features\":[1,2.5],\"top\":2}");
        assertThat(f.stream()).isEqualTo("d");
        assertThat(f.id()).isEqualTo("7");
        assertThat(((Query.Features) f.query()).values()).containsExactly(1f, 2.5f);
        assertThat(f.query().top()).isEqualTo(2);
        Request t = json(null, "{\"stream\":\"lm\",\"id\":\"x\",\"text\":\"hé\",\"continuation\":4}");
        assertThat(((Query.Text) t.query()).prompt()).isEqualTo("hé".getBytes(StandardCharsets.UTF_8));
        assertThat(((Query.Text) t.query()).continuation()).isEqualTo(4);
        assertThat(t.query().top()).isEqualTo(5);
        byte[] avro = AvroSerde.predictionRequest().serialize(PredictionRequest.newBuilder().setStream("d").setId("a")
                .setFeatures(List.of(3f)).build());
        assertThat(((Query.Features) decoder.decode("d", avro).query()).values()).containsExactly(3f);
    }

    @Test
    void badRequestsAreRejectedWithTheirReason() {
        assertThat(reason("d", "{nope")).isEqualTo(RejectReason.UNPARSABLE);
        assertThat(reason("d", "{\"features\":[1]}")).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(reason(null, "{\"id\":\"a\",\"features\":[1]}")).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(reason("d", "{\"stream\":\"e\",\"id\":\"a\",\"features\":[1]}")).isEqualTo(RejectReason.KEY_MISMATCH);
        assertThat(reason("d", "{\"id\":\"a\"}")).isEqualTo(RejectReason.NO_FEATURES_OR_TEXT);
        assertThat(reason("d", "{\"id\":\"a\",\"features\":[1],\"text\":\"x\"}")).isEqualTo(RejectReason.BOTH_FEATURES_AND_TEXT);
        assertThat(reason("d", "{\"id\":\"a\",\"features\":[]}")).isEqualTo(RejectReason.EMPTY_FEATURES);
        assertThat(reason("d", "{\"id\":\"a\",\"features\":[\"1\"]}")).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason("d", "{\"id\":\"a\",\"features\":[1e39]}")).isEqualTo(RejectReason.NON_FINITE_FEATURE);
        assertThat(reason("d", "{\"id\":\"a\",\"text\":\"\"}")).isEqualTo(RejectReason.EMPTY_TEXT);
        assertThat(reason("d", "{\"id\":\"a\",\"text\":\"x\",\"continuation\":65}")).isEqualTo(RejectReason.WRONG_TYPE);
        assertThat(reason("d", "{\"id\":\"a\",\"features\":[1],\"top\":0}")).isEqualTo(RejectReason.WRONG_TYPE);
        assertThatThrownBy(() -> decoder.decode("d", new byte[0])).isInstanceOf(InvalidSampleException.class);
    }
}
