package io.clpipe.evaluator.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The replies to one batch of {@link ScoreRequest}s, in whatever order the scorers send them: each
 * request takes the first reply that answers it; replies to other requests (another evaluator's, or a
 * previous attempt's already answered) are ignored. Without Kafka.
 */
final class ScoreGather {

    private final Map<ScoreRequest, ScoreReply> replies = new LinkedHashMap<>();
    private long ignored;

    ScoreGather(List<ScoreRequest> requests) {
        requests.forEach(r -> replies.put(r, null));
    }

    /** True if the reply answered a request still waiting. */
    boolean offer(ScoreReply reply) {
        for (Map.Entry<ScoreRequest, ScoreReply> e : replies.entrySet()) {
            if (e.getValue() == null && e.getKey().answeredBy(reply)) {
                e.setValue(reply);
                return true;
            }
        }
        ignored++;
        return false;
    }

    boolean complete() {
        return !replies.containsValue(null);
    }

    List<ScoreRequest> missing() {
        List<ScoreRequest> out = new ArrayList<>();
        replies.forEach((request, reply) -> {
            if (reply == null) {
                out.add(request);
            }
        });
        return out;
    }

    Optional<ScoreReply> reply(ScoreRequest request) {
        return Optional.ofNullable(replies.get(request));
    }

    /** Replies that answered nothing waiting here. */
    long ignored() {
        return ignored;
    }
}
