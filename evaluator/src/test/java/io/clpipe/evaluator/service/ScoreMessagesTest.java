package io.clpipe.evaluator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clpipe.schemas.avro.TaskMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Score requests and replies on the wire, the gathering of replies, and where requests are placed. */
class ScoreMessagesTest {

    private static final ScoreRequest.EvalSettings EVAL = new ScoreRequest.EvalSettings(1000, 2000, 7, 64);

    @Test
    void requestsAndRepliesSurviveTheWire() {
        ScoreRequest request = new ScoreRequest("digits", 42, 3, 100, 104, EVAL);
        assertThat(ScoreRequest.decode(request.encode())).isEqualTo(request);

        Map<String, TaskMetrics> tasks = new LinkedHashMap<>();
        tasks.put("b", new TaskMetrics(0.75, 0.61, 1000L));
        tasks.put("a", new TaskMetrics(null, null, 0L));
        ScoreReply reply = ScoreReply.scored(request, "scorer-1", tasks);
        ScoreReply back = ScoreReply.decode(reply.encode());
        assertThat(back).isEqualTo(reply);
        assertThat(back.tasks().keySet()).containsExactly("b", "a");
        assertThat(ScoreReply.decode(ScoreReply.failed(request, "scorer-2", "checksum mismatch").encode()).error())
                .isEqualTo("checksum mismatch");
        assertThat(request.answeredBy(back)).isTrue();
        assertThat(new ScoreRequest("digits", 42, 3, 200, 200, EVAL).answeredBy(back)).isFalse();
    }

    @Test
    void foreignBytesAreRefusedWithAReason() {
        assertThatThrownBy(() -> ScoreRequest.decode(new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScoreReply.decode(new ScoreRequest("s", 1, 0, 0, 0, EVAL).encode()))
                .hasMessageContaining("not a clpipe score reply");
        assertThatThrownBy(() -> new ScoreRequest("s", 1, 0, 5, 4, EVAL)).hasMessageContaining("bad models-topic range");
    }

    @Test
    void eachRequestTakesTheFirstReplyThatAnswersIt() {
        ScoreRequest v1 = new ScoreRequest("s", 1, 0, 10, 10, EVAL);
        ScoreRequest v2 = new ScoreRequest("s", 2, 0, 11, 11, EVAL);
        ScoreGather gather = new ScoreGather(List.of(v1, v2));
        ScoreReply first = ScoreReply.scored(v2, "x", Map.of("a", new TaskMetrics(0.5, 1.0, 10L)));

        assertThat(gather.offer(first)).isTrue();
        assertThat(gather.complete()).isFalse();
        assertThat(gather.missing()).containsExactly(v1);
        assertThat(gather.offer(ScoreReply.scored(v2, "y", Map.of()))).isFalse(); // a request scored twice
        assertThat(gather.offer(ScoreReply.scored(v1, "y", Map.of()))).isTrue();
        assertThat(gather.complete()).isTrue();
        assertThat(gather.reply(v2)).contains(first);
        assertThat(gather.ignored()).isEqualTo(1);
    }

    @Test
    void consecutiveVersionsOfAStreamGoRoundThePartitions() {
        int[] perPartition = new int[24];
        for (long v = 0; v < 240; v++) {
            perPartition[KafkaScoreExchange.partition("digits", v, 24)]++;
        }
        assertThat(perPartition).containsOnly(10);
        assertThat(KafkaScoreExchange.partition("digits", 5, 24)).isNotEqualTo(KafkaScoreExchange.partition("digits", 6, 24));
    }
}
