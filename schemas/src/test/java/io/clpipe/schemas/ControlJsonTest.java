package io.clpipe.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.schemas.avro.ControlEvent;
import io.clpipe.schemas.avro.ControlType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ControlJsonTest {

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RejectReason reason(String json, String key) {
        try {
            ControlJson.parse(json(json), key, 0);
        } catch (InvalidSampleException e) {
            return e.rejection().reason();
        }
        throw new AssertionError("not rejected: " + json);
    }

    @Test
    void aTaskStartAndAnAnnealRoundTrip() {
        ControlEvent start = ControlJson.parse(json("{\"stream\":\"s\",\"control\":\"task-start\",\"task\":\"b\",\"reason\":\"why\"}"), "s", 7)
                .orElseThrow();
        assertThat(start.getType()).isEqualTo(ControlType.TASK_START);
        assertThat(start.getTask()).isEqualTo("b");
        assertThat(start.getReason()).isEqualTo("why");
        assertThat(start.getSource()).isEqualTo("user");
        assertThat(start.getTimestamp()).isEqualTo(7);
        assertThat(new String(ControlJson.write(start), StandardCharsets.UTF_8))
                .isEqualTo("{\"stream\":\"s\",\"control\":\"task-start\",\"task\":\"b\",\"reason\":\"why\"}");
        ControlEvent anneal = ControlJson.parse(json("{\"control\":\"anneal\"}"), "s", 0).orElseThrow();
        assertThat(anneal.getType()).isEqualTo(ControlType.ANNEAL_REQUEST);
        assertThat(anneal.getStream()).as("the key names the stream").isEqualTo("s");
        assertThat(ControlJson.parse(ControlJson.write(anneal), null, 0)).contains(anneal);
    }

    @Test
    void anObjectWithoutAControlFieldIsNoControlEvent() {
        assertThat(ControlJson.parse(json("{\"stream\":\"s\",\"label\":1}"), "s", 0)).isEmpty();
    }

    @Test
    void wrongControlRecordsAreRefusedWithAReason() {
        assertThat(reason("{\"stream\":\"s\",\"control\":\"stop\"}", null)).isEqualTo(RejectReason.BAD_CONTROL);
        assertThat(reason("{\"stream\":\"s\",\"control\":\"anneal\",\"task\":\"b\"}", null)).isEqualTo(RejectReason.BAD_CONTROL);
        assertThat(reason("{\"stream\":\"s\",\"control\":{}}", null)).isEqualTo(RejectReason.BAD_CONTROL);
        assertThat(reason("{\"stream\":\"s\",\"control\":\"task-start\"}", "t")).isEqualTo(RejectReason.KEY_MISMATCH);
        assertThat(reason("{\"control\":\"task-start\"}", null)).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(reason("{\"control\":", null)).isEqualTo(RejectReason.UNPARSABLE);
        assertThatThrownBy(() -> ControlJson.write(ControlEvent.newBuilder().setStream("s").setType(ControlType.ROLLBACK)
                .setTimestamp(0).build())).hasMessageContaining("no JSON form");
    }

    @Test
    void theStreamFieldIsFoundWithoutParsingTheSample() {
        assertThat(SampleJson.streamOf(json("{\"features\":[1,[2],{\"stream\":\"x\"}],\"stream\":\"s\"}"))).isEqualTo("s");
        assertThat(SampleJson.streamOf(json("{\"stream\":42}"))).isEqualTo("42");
        assertThat(SampleJson.streamOf(json("{\"stream\":[\"s\"]}"))).isEmpty();
        assertThat(SampleJson.streamOf(json("not json"))).isEmpty();
        assertThat(SampleJson.streamOf(json("{\"label\":1}"))).isEmpty();
    }
}
